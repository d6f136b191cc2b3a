// Cohort launch through the HTTP API (validation, one transaction for the cohort and its trajectories,
// one workflow start per participant) against the same number of bare `client.workflow.start` calls,
// on the same Temporal dev server, in the same run.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { benchApp } from './app';
import type { Db } from '../db/connection';
import { dutchHolidays } from '../activities/holidays';
import { addDays } from '../workflows/calendar';
import { TASK_QUEUE } from '../workflows/ids';
import { trajectoryWorkflow, type TrajectoryInput } from '../workflows/trajectory';
import { cohortRequest, thisMonday, welslagenTemplate } from '../tests/helpers/fixtures';
import { ADMIN_TOKEN, injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';

export async function benchCohortLaunch(env: TestWorkflowEnvironment, db: Db, size = 1000) {
  const token = ADMIN_TOKEN;
  const app = await benchApp(db, env.client);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const run = randomUUID().slice(0, 8);
  const partners = await seedPartners(injectCall(app));
  const employers = partners.employerIds;

  // Baseline: the same workflow type and input size, started directly with the same concurrency (50 lanes).
  // A year ahead: both sets of workflows just wait for their start, so neither run is disturbed by activity load.
  const startDate = addDays(thisMonday(), 52 * 7);
  const holidays = dutchHolidays(startDate, addDays(startDate, 500));
  const template = welslagenTemplate({ checkpoints: [] });
  const inputs: TrajectoryInput[] = Array.from({ length: size }, () => ({
    trajectoryId: randomUUID(), cohortId: run, programme: { id: 'welslagen', version: 1, template }, region: 'West-Brabant', startDate,
    employerId: employers[0]!, placementWeekdays: ['monday', 'tuesday', 'wednesday'], schoolWeekday: 'thursday', holidays, closures: [],
  }));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < inputs.length) {
      const input = inputs[next++]!;
      await env.client.workflow.start(trajectoryWorkflow, { taskQueue: TASK_QUEUE, workflowId: `bench-bare-${input.trajectoryId}`, args: [input] });
    }
  }));
  const bareMs = performance.now() - t0;

  const t1 = performance.now();
  const res = await fetch(`${url}/v1/cohorts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(cohortRequest({ ...partners, size, startDate })),
  });
  const apiMs = performance.now() - t1;
  if (res.status !== 201) throw new Error(`launch failed: ${res.status} ${await res.text()}`);
  await app.close();
  return { size, bareMs, apiMs, ratio: apiMs / bareMs };
}
