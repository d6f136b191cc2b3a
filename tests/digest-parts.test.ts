// A morning's digest spreads over the worker processes: each office's part (composing, delivering) is an activity
// on the digest parts' queue, where each worker takes at most DIGEST_PARTS_PER_WORKER at once (infra/worker.ts).
// Before, every part went to the worker's own queue, where one worker's pollers took all four lanes while the other
// worker idled, and that one worker's mail rate capped a province's morning (bench/README.md).
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities';
import { connectPostgres, type Db } from '../db/connection';
import { digestPartsWorker } from '../infra/worker';
import { untracedWorkerOptions } from '../infra/telemetry';
import { digestWorkflow, OFFICES_AT_ONCE } from '../workflows/digest';
import { createThrowawayDatabase } from './helpers/postgres';
import { createTimeSkippingEnv, testDataConverter } from './helpers/temporal';

const QUEUE = 'parts-test';
const PER_WORKER = 2;
let db: Db;
let env: TestWorkflowEnvironment;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createThrowawayDatabase();
  drop = database.drop;
  db = connectPostgres(database.url, 4);
  env = await createTimeSkippingEnv();
  // Six programme offices (and the part of no office): more parts than lanes, so lanes take a next office.
  await db
    .insertInto('organisation')
    .values(
      Array.from({ length: 6 }, (_, i) => {
        const id = randomUUID();
        return {
          id,
          name: `Programmabureau ${i + 1}`,
          kind: 'programme_office' as const,
          region: null,
          email: null,
          office_id: id,
        };
      }),
    )
    .execute();
});

afterAll(async () => {
  await env?.teardown();
  await db?.destroy();
  await drop?.();
});

describe('the morning digest on two worker processes', () => {
  it("gives each worker at most its share of the offices' parts, and both work", async () => {
    const activities = createActivities({ db, temporal: env.client });
    // Composing an office's part takes seconds at a province's size; here each is held for a moment so the lanes'
    // parts overlap as they do there (what is composed is the real activity's, nothing is due on this database).
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const slowed = (identity: string): typeof activities => ({
      ...activities,
      async composeDigests(input) {
        inFlight.set(identity, (inFlight.get(identity) ?? 0) + 1);
        peak.set(identity, Math.max(peak.get(identity) ?? 0, inFlight.get(identity)!));
        try {
          await new Promise((r) => setTimeout(r, 400));
          return await activities.composeDigests(input);
        } finally {
          inFlight.set(identity, inFlight.get(identity)! - 1);
        }
      },
    });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: QUEUE,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      ...untracedWorkerOptions(true),
      activities,
      dataConverter: testDataConverter,
    });
    const config = { TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: QUEUE, DIGEST_PARTS_PER_WORKER: PER_WORKER };
    // Each as its own process would: a connection of its own (one connection holds one worker per queue).
    const connections = await Promise.all([1, 2].map(() => NativeConnection.connect({ address: env.address })));
    const [a, b] = await Promise.all(
      ['worker-a', 'worker-b'].map((identity, i) =>
        digestPartsWorker(connections[i]!, config, slowed(identity), { dataConverter: testDataConverter, identity }),
      ),
    );
    const handle = await env.client.workflow.start(digestWorkflow, {
      taskQueue: QUEUE,
      workflowId: `digest-${randomUUID()}`,
    });
    const result = await a!.runUntil(b!.runUntil(worker.runUntil(handle.result())));
    await Promise.all(connections.map((c) => c.close()));
    expect(result).toMatchObject({ mails: 0, sent: 0, failed: 0 });

    // Who took which part, as Temporal recorded it.
    const { events } = await handle.fetchHistory();
    const scheduled = new Map<string, { type: string; queue: string }>();
    const startedBy: { type: string; queue: string; identity: string }[] = [];
    for (const e of events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), { type: s.activityType!.name!, queue: s.taskQueue!.name! });
      const t = e.activityTaskStartedEventAttributes;
      if (t) startedBy.push({ ...scheduled.get(String(t.scheduledEventId))!, identity: t.identity! });
    }
    const composed = startedBy.filter((x) => x.type === 'composeDigests');
    expect(composed).toHaveLength(7); // six offices and the part of no office, each once
    expect(new Set(composed.map((x) => x.queue))).toEqual(new Set([`${QUEUE}-digest`]));
    // Four lanes at once, two a worker: both workers took parts, neither more than its share at any moment.
    expect(OFFICES_AT_ONCE).toBeGreaterThan(PER_WORKER);
    expect(new Set(composed.map((x) => x.identity))).toEqual(new Set(['worker-a', 'worker-b']));
    expect(peak.get('worker-a')).toBeLessThanOrEqual(PER_WORKER);
    expect(peak.get('worker-b')).toBeLessThanOrEqual(PER_WORKER);
    // The offices' list itself stays on the worker's own queue.
    expect(startedBy.find((x) => x.type === 'digestOffices')?.queue).toBe(QUEUE);
  });
});
