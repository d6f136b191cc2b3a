// A full 20-week trajectory with every day recorded, on the time-skipping test server: its history event
// count (aim: under 1,000) and wall time, against the same trajectory with nothing recorded, in
// alternating samples (bench/stats.ts; the event counts do not vary between samples, the times do).
// Two recording patterns: weekly (the employer records its three days in one call, the ROC its day) and
// daily (one call per day, the worst case).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../db/connection';
import { alternate, benchRuns } from './stats';
import { addDays, localInstant, planTrajectory } from '../domain/calendar';
import { thisMonday, welslagenTemplate } from '../tests/helpers/fixtures';
import { seedTrajectory } from '../tests/helpers/seed';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import {
  confirmBblUpdate,
  recordAttendanceUpdate,
  recordCheckpointUpdate,
  trajectoryWorkflow,
} from '../workflows/trajectory';

const template = welslagenTemplate();

type Pattern = 'none' | 'weekly' | 'daily';

async function runOne(env: TestWorkflowEnvironment, db: Db, pattern: Pattern) {
  const monday = addDays(thisMonday(await env.currentTimeMs()), 7);
  const input = await seedTrajectory(db, monday, template);
  const plan = planTrajectory({ ...template, ...input });
  const t0 = performance.now();
  const handle = await env.client.workflow.start(trajectoryWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: trajectoryWorkflowId(input.trajectoryId),
    args: [input],
  });
  let updates = 0;
  if (pattern !== 'none') {
    for (let week = 1; week <= template.weeks; week++) {
      const friday = addDays(monday, (week - 1) * 7 + 4);
      const wait = localInstant(friday, 16) - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);
      const days = plan.days
        .filter((d) => d.week === week && d.planned)
        .map((d) => ({ date: d.date, kind: d.kind, present: true }));
      const batches =
        pattern === 'weekly'
          ? [days.filter((d) => d.kind === 'placement'), days.filter((d) => d.kind === 'school')]
          : days.map((d) => [d]);
      for (const entries of batches.filter((b) => b.length > 0)) {
        await handle.executeUpdate(recordAttendanceUpdate, { args: [{ entries }] });
        updates++;
      }
      for (const c of template.checkpoints.filter((c) => c.week === week)) {
        await handle.executeUpdate(recordCheckpointUpdate, {
          args: [{ key: c.key, status: 'on_track', note: 'ok', trainerConfirmed: true }],
        });
        updates++;
      }
      if (week === 16) {
        await handle.executeUpdate(confirmBblUpdate, {
          args: [{ by: 'employer', contractStartDate: addDays(monday, 21 * 7) }],
        });
        await handle.executeUpdate(confirmBblUpdate, { args: [{ by: 'school' }] });
        updates += 2;
      }
    }
  }
  const result = await handle.result();
  const ms = performance.now() - t0;
  const events = (await handle.fetchHistory()).events?.length ?? 0;
  return { pattern, updates, events, ms, outcome: result.outcome?.kind };
}

export async function benchTrajectoryHistory(env: TestWorkflowEnvironment, db: Db) {
  const sample = (pattern: Pattern) => async () => {
    const r = await runOne(env, db, pattern);
    return { ms: r.ms, events: r.events, updates: r.updates };
  };
  const runs = benchRuns();
  const weekly = await alternate({
    runs,
    warmup: 1,
    baseline: sample('none'),
    measured: sample('weekly'),
    log: 'trajectory weekly',
  });
  const daily = await alternate({
    runs,
    warmup: 1,
    baseline: sample('none'),
    measured: sample('daily'),
    log: 'trajectory daily',
  });
  return { weekly, daily };
}
