// Cohort launch through the HTTP API (validation, one transaction for the cohort, its trajectories and
// their placements, the audit row, one workflow start per participant) against the same workflow starts
// made directly with `client.workflow.start`, on the same Temporal dev server, in the same run.
// Both sides start the same workflow with the same input (the programme as the database holds it, the same
// holidays and start date, the same search attributes and id reuse policy) with the same concurrency (50
// in flight, as api/services/cohorts.ts). What differs is only what the API adds. A sample's clock stops
// when the last start is acknowledged (the API answers 201); then, outside the clock, the benchmark waits
// until every workflow of the sample has completed its first workflow task (it sets the timer to the start
// date), so no sample runs while the previous one's workflow tasks still do. Samples alternate
// (bench/stats.ts).
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { benchApp } from './app';
import { alternate, benchRuns, benchSize } from './stats';
import type { Db } from '../db/connection';
import { dutchHolidays } from '../activities/holidays';
import { addDays } from '../domain/calendar';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import { trajectoryWorkflow, type TrajectoryInput } from '../workflows/trajectory';
import { CohortIdKey, ProgrammeIdKey, RegionKey, TrajectoryStatusKey } from '../workflows/search-attributes';
import type { ProgrammeTemplate } from '../api/schemas/programme';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { ADMIN_TOKEN, injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';

/** Waits until every workflow has completed its first workflow task (a history beyond the first task's events). */
async function untilFirstTaskDone(env: TestWorkflowEnvironment, workflowIds: string[]): Promise<void> {
  let pending = workflowIds;
  for (let round = 0; pending.length > 0; round++) {
    if (round > 600) throw new Error(`${pending.length} workflows did not complete their first task`);
    const still: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let id = pending[next++]; id; id = pending[next++]) {
          const d = await env.client.workflow.getHandle(id).describe();
          // Started, task scheduled, started, completed: at least 4 events once the first task is done.
          if (d.historyLength < 4) still.push(id);
        }
      }),
    );
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchCohortLaunch(
  env: TestWorkflowEnvironment,
  db: Db,
  size = benchSize('BENCH_COHORT_SIZE', 1000, 100),
) {
  const app = await benchApp(db, env.client);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const call = injectCall(app);
    const partners = await seedPartners(call);
    // A year ahead: every workflow's first task only sets the timer to its start, as a launched cohort's does.
    const startDate = addDays(thisMonday(), 52 * 7);
    const { rows } = await sql<{
      template: ProgrammeTemplate;
      version: number;
    }>`select template, version from programme where id = 'welslagen' order by version desc limit 1`.execute(db);
    const programme = { id: 'welslagen', version: rows[0]!.version, template: rows[0]!.template };
    const holidays = dutchHolidays(startDate, addDays(startDate, programme.template.weeks * 7 + 365));
    const request = cohortRequest({ ...partners, size, startDate });

    const bare = async () => {
      const cohortId = randomUUID();
      const inputs: TrajectoryInput[] = request.participants.map((p) => ({
        trajectoryId: randomUUID(),
        cohortId,
        programme,
        region: 'West-Brabant',
        startDate,
        employerId: p.employerId,
        placementWeekdays: p.placementWeekdays,
        schoolWeekday: request.schoolWeekday,
        holidays,
        closures: [],
      }));
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          for (let input = inputs[next++]; input; input = inputs[next++]) {
            await env.client.workflow.start(trajectoryWorkflow, {
              taskQueue: TASK_QUEUE,
              workflowId: trajectoryWorkflowId(input.trajectoryId),
              args: [input],
              typedSearchAttributes: [
                { key: CohortIdKey, value: input.cohortId },
                { key: ProgrammeIdKey, value: input.programme.id },
                { key: RegionKey, value: input.region },
                { key: TrajectoryStatusKey, value: 'planned' },
              ],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            });
          }
        }),
      );
      const ms = performance.now() - t0;
      await untilFirstTaskDone(
        env,
        inputs.map((i) => trajectoryWorkflowId(i.trajectoryId)),
      );
      return { ms };
    };

    const api = async () => {
      // Fresh partners for each launch, outside the clock: the launch guard (issue 20) counts an employer's places
      // in use, and seedPartners records 1,000 places for each of its two employers (READINESS_LIMITS.places), so
      // the samples' 500 a launch would otherwise fill them by the third launch. Each launch finds its employers
      // ready with 500 places left, as a production launch at ready employers does.
      const request = cohortRequest({ ...(await seedPartners(call)), size, startDate });
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/cohorts`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(request),
      });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 201) throw new Error(`launch failed: ${res.status} ${body}`);
      const cohort = JSON.parse(body) as { trajectories: { workflowId: string }[] };
      await untilFirstTaskDone(
        env,
        cohort.trajectories.map((t) => t.workflowId),
      );
      return { ms };
    };

    const r = await alternate({ runs: benchRuns(), warmup: 1, baseline: bare, measured: api, log: 'cohort launch' });
    return { size, ...r };
  } finally {
    await app.close();
  }
}
