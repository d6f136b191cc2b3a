// The trajectory workflow on the real time-skipping test server, with real activities writing to PostgreSQL.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection';
import { findTrajectory } from '../db/trajectories';
import { addDays, daysBetween, isoWeekday, localDate } from '../domain/calendar';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import { stateQuery, trajectoryWorkflow } from '../workflows/trajectory';
import { startTestWorld, type TestWorld } from './helpers/api';
import { thisMonday, welslagenTemplate } from './helpers/fixtures';
import { seedTrajectory as seed } from './helpers/seed';

let env: TestWorkflowEnvironment;
let world: TestWorld;
let db: Db;

const template = welslagenTemplate({ checkpoints: [{ key: 'intake', name: 'Intake', week: 1 }] });

const seedTrajectory = (startDate: string) => seed(db, startDate, template);

beforeAll(async () => {
  world = await startTestWorld();
  ({ db, env } = world);
});

afterAll(async () => {
  await world?.close();
});

describe('trajectory workflow', () => {
  it('runs a 20-week trajectory to its end in seconds, recording each status change in the database', async () => {
    const startDate = addDays(thisMonday(await env.currentTimeMs()), 7);
    const input = await seedTrajectory(startDate);
    const handle = await env.client.workflow.start(trajectoryWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: trajectoryWorkflowId(input.trajectoryId),
      args: [input],
    });

    const before = await handle.query(stateQuery);
    expect(before).toMatchObject({
      status: 'planned',
      week: 0,
      weeks: 20,
      startDate,
      endDate: addDays(startDate, 19 * 7 + 4),
    });
    expect(before.nextDays[0]).toMatchObject({ date: startDate, kind: 'placement', week: 1 });

    const t0 = Date.now();
    const result = await handle.result();
    const wallMs = Date.now() - t0;
    // Nobody confirmed a BBL: two weeks after the end the outcome is "no doorstroom", with the reason.
    expect(result).toEqual({
      status: 'ended',
      endDate: addDays(startDate, 137),
      outcome: {
        kind: 'no_doorstroom',
        reason: 'no BBL contract from the employer and no BBL enrolment from the ROC two weeks after the planned end',
      },
    });
    expect((await findTrajectory(db, input.trajectoryId))?.status).toBe('ended');
    const history = await handle.fetchHistory();
    console.info(
      `20-week trajectory on the time-skipping server: ${wallMs} ms wall time, ${history.events?.length} ` +
        `history events`,
    );
  });

  it('is active in the right week part-way through', async () => {
    const launchDay = localDate(await env.currentTimeMs());
    const startDate = addDays(thisMonday(await env.currentTimeMs()), 7);
    const input = await seedTrajectory(startDate);
    const handle = await env.client.workflow.start(trajectoryWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: trajectoryWorkflowId(input.trajectoryId),
      args: [input],
    });
    await env.sleep('10 weeks');
    const today = localDate(await env.currentTimeMs());
    const state = await handle.query(stateQuery, today);
    expect(state.status).toBe('active');
    expect(state.today).toBe(today);
    // Launched in the week before the start; 70 days on is 63 to 69 days after the start: week 10.
    expect(daysBetween(startDate, today)).toBe(63 + isoWeekday(launchDay) - 1);
    expect(state.week).toBe(10);
    expect(state.nextDays.every((d) => d.date >= today)).toBe(true);
    expect((await findTrajectory(db, input.trajectoryId))?.status).toBe('active');
    await handle.terminate('test done');
  });
});
