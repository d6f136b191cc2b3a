// Sick leave (ziekmelding) through the API, on the real Temporal test server and PostgreSQL: the jobcoach reports
// a participant sick from a date, the placement days stop while the ROC day goes on, the recovery moves the end
// date by the sick working days; and the sickness reason, health data, is read only by the coordinator and the
// jobcoach: not by the employer or the admin, not in a mail, not in a funder's figures, and not after erasure.
// The cohort started two weeks ago, so "today" is in week 3 and week 2 lies entirely in the past.
// RECORD_HISTORIES=1 npx vitest run tests/sick-leave.test.ts records the first one's history for tests/replay.test.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities';
import type { Db } from '../db/connection';
import { addDays, localDate, localInstant } from '../domain/calendar';
import { decodePayloadsIn } from '../infra/payload-codec';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import type { Json } from './helpers/json';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { testDataConverter } from './helpers/temporal';

let api: TestApi;
let env: TestWorkflowEnvironment;
let db: Db;
let call: Call;
let partners: Partners;
let keys: Record<'coordinator' | 'jobcoach' | 'employer' | 'funder', string>;
let trajectories: { id: string; employerId: string; workflowId: string }[];
const start = addDays(thisMonday(), -14);
const week2 = addDays(start, 7);
const REASON = 'Griep met koorts, huisarts bezocht';

const trajectoryAs = async (id: string, key?: string) => {
  const res = await call('GET', `/v1/trajectories/${id}`, undefined, key);
  expect(res.status).toBe(200);
  return res.json as { live: Record<string, Json>; events: { type: string; data: Record<string, Json> }[] };
};
const days = async (id: string) => {
  const res = await call('GET', `/v1/trajectories/${id}/schedule`, undefined);
  expect(res.status).toBe(200);
  return (res.json.weeks as { days: { date: string; kind: string; status: string; reason?: string }[] }[]).flatMap(
    (w) => w.days,
  );
};

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  ({ db, env, call } = api);
  partners = await seedPartners(call);
  // Mail goes to a workplace trainer and to the coordinator: a sickness reason must reach neither.
  for (const [org, role, email] of [
    [partners.employerIds[0]!, 'workplace_trainer', 'petra@zorggroep.example.nl'],
    [partners.officeId, 'coordinator', 'carla@programmabureau.example.nl'],
  ] as const)
    expect((await call('POST', `/v1/organisations/${org}/contacts`, { role, name: role, email })).status).toBe(201);
  keys = {
    coordinator: await createKey(call, partners.officeId, 'coordinator'),
    jobcoach: await createKey(call, partners.officeId, 'jobcoach', partners.jobcoachId),
    employer: await createKey(call, partners.employerIds[0]!, 'employer'),
    funder: await createKey(call, partners.gemeenteId, 'funder'),
  };
  const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 2, startDate: start }));
  expect(launched.status).toBe(201);
  trajectories = launched.json.trajectories as typeof trajectories;
  await untilStarted(db, launched.json.id as string);
});

afterAll(async () => {
  await api?.close();
});

describe('sick leave', () => {
  it('stops the placement days from its date, not the ROC day, and the recovery moves the end date', async () => {
    const t = trajectories[0]!;
    const before = await trajectoryAs(t.id);
    // The employer reports nothing here: a ziekmelding is the jobcoach's (or the coordinator's).
    const byEmployer = await call(
      'POST',
      `/v1/trajectories/${t.id}/changes`,
      { type: 'sick_leave', from: week2 },
      keys.employer,
    );
    expect(byEmployer.status).toBeGreaterThanOrEqual(400);
    expect(byEmployer.status).toBeLessThan(500);
    // Not ahead: a sick leave is reported from today or a day before.
    const ahead = await call(
      'POST',
      `/v1/trajectories/${t.id}/changes`,
      { type: 'sick_leave', from: addDays(localDate(Date.now()), 1) },
      keys.jobcoach,
    );
    expect(ahead.status).toBe(422);
    expect(ahead.json.errors).toEqual([{ field: 'from', message: expect.stringMatching(/not ahead/) }]);

    const sick = await call(
      'POST',
      `/v1/trajectories/${t.id}/changes`,
      { type: 'sick_leave', from: week2, reason: REASON },
      keys.jobcoach,
    );
    expect(sick.status, JSON.stringify(sick.json)).toBe(200);
    // While sick, the end date stays: how long it lasts is known at the recovery.
    expect(sick.json.endDate).toBe(before.live.endDate);

    const inWeek2 = (await days(t.id)).filter((d) => d.date >= week2 && d.date < addDays(week2, 7));
    expect(inWeek2.filter((d) => d.kind === 'placement').map((d) => d.status)).toEqual([
      'sick_leave',
      'sick_leave',
      'sick_leave',
    ]);
    expect(inWeek2.filter((d) => d.kind === 'school').map((d) => d.status)).toEqual(['planned']);
    // A sick placement day is not recorded as worked, and no reminder asks for it.
    const placementDay = inWeek2.find((d) => d.kind === 'placement')!.date;
    const worked = await call('POST', `/v1/trajectories/${t.id}/attendance`, {
      entries: [{ date: placementDay, kind: 'placement', present: true }],
    });
    expect(worked.status).toBe(422);
    expect(worked.json.errors[0].message).toMatch(/not planned \(ziekgemeld\)/);
    const live = (await trajectoryAs(t.id)).live as { open: { attendance: { date: string; kind: string }[] } };
    expect(live.open.attendance.filter((d) => d.kind === 'placement' && d.date >= week2)).toEqual([]);
    expect(live.open.attendance.some((d) => d.kind === 'school' && d.date >= week2)).toBe(true);
    // Nor is a pause laid over it.
    const pause = await call('POST', `/v1/trajectories/${t.id}/changes`, { type: 'pause', from: week2, reason: 'x' });
    expect(pause.status).toBe(422);

    // Back on the Monday of week 3: five sick working days push the end out by one week.
    const back = await call(
      'POST',
      `/v1/trajectories/${t.id}/changes`,
      { type: 'recovery', date: addDays(week2, 7) },
      keys.jobcoach,
    );
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect(back.json.endDate).toBe(addDays(before.live.endDate as string, 7));
    const row = await db.selectFrom('trajectory').select('end_date').where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row.end_date).toBe(back.json.endDate);
    // The projected plan (what reminders and the steering view read) follows.
    const plan = await db
      .selectFrom('planned_day')
      .select(['date', 'planned', 'off', 'reason'])
      .where('trajectory_id', '=', t.id)
      .where('date', '=', placementDay)
      .executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ planned: false, off: 'sick_leave', reason: 'ziekgemeld' });
    const again = await call('POST', `/v1/trajectories/${t.id}/changes`, { type: 'recovery', date: addDays(week2, 8) });
    expect(again.status).toBe(422);
  });

  it('keeps the reason from everyone but the coordinator and the jobcoach', async () => {
    const t = trajectories[0]!;
    for (const who of ['coordinator', 'jobcoach'] as const) {
      const seen = await trajectoryAs(t.id, keys[who]);
      expect(seen.events.find((e) => e.type === 'sick_leave_started')?.data.reason, who).toBe(REASON);
      expect((seen.live.sickLeaves as { reason?: string }[])[0]?.reason, who).toBe(REASON);
    }
    // The employer sees that the participant was sick (it expects no one those days), not why; nor does the admin.
    for (const who of [keys.employer, undefined]) {
      const seen = await trajectoryAs(t.id, who);
      expect(seen.events.find((e) => e.type === 'sick_leave_started')?.data).toMatchObject({ from: week2 });
      expect(seen.live.sickLeaves).toEqual([{ from: week2, to: addDays(week2, 7), reason: '' }]);
      expect(JSON.stringify(seen)).not.toContain('Griep');
    }

    // No mail says it: the morning's digest is composed (reminders are due) without it.
    const today = localDate(Date.now());
    await createActivities({
      db,
      temporal: env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(today, 10),
    }).composeDigests({ date: today });
    const mails = await db.selectFrom('outbox').select(['subject', 'text', 'html']).execute();
    expect(mails.length).toBeGreaterThan(0);
    expect(JSON.stringify(mails)).not.toContain('Griep');

    // No funder figure carries it.
    for (const format of ['json', 'csv']) {
      const figures = await api.app.inject({
        method: 'GET',
        url: `/v1/outcomes?format=${format}`,
        headers: { authorization: `Bearer ${keys.funder}` },
      });
      expect(figures.statusCode).toBe(200);
      expect(figures.body).toMatch(/started/);
      expect(figures.body).not.toContain('Griep');
    }
  });

  it('is erased with the rest of what was typed when the participant is anonymised', async () => {
    const t = trajectories[1]!;
    const from = addDays(week2, 2);
    expect(
      (
        await call('POST', `/v1/trajectories/${t.id}/changes`, {
          type: 'sick_leave',
          from,
          reason: 'Burn-out klachten',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', `/v1/trajectories/${t.id}/changes`, { type: 'dropout', reason: 'health', text: 'Stopt' }))
        .status,
    ).toBe(200);
    await env.client.workflow.getHandle(t.workflowId).result(); // the grace period passes
    const erased = await call('POST', `/v1/trajectories/${t.id}/erasure`, {});
    expect(erased.status, JSON.stringify(erased.json)).toBe(200);
    const events = await db
      .selectFrom('trajectory_event')
      .select(['type', 'data'])
      .where('trajectory_id', '=', t.id)
      .execute();
    expect(events.find((e) => e.type === 'sick_leave_started')?.data).toEqual({ type: 'sick_leave', from });
    expect(JSON.stringify(events)).not.toContain('Burn-out');
    // The workflow still holds its state; the API gives nobody the text of an anonymised participant.
    const seen = await trajectoryAs(t.id, keys.coordinator);
    expect(JSON.stringify(seen)).not.toContain('Burn-out');
  });

  it('runs to its end after the sick leave and the recovery, and its history replays', async () => {
    const t = trajectories[0]!;
    const handle = env.client.workflow.getHandle(t.workflowId);
    // No BBL decision comes: two weeks after the end (moved a week by the sick leave) it ends without doorstroom.
    expect(await handle.result()).toMatchObject({ status: 'ended', outcome: { kind: 'no_doorstroom' } });
    const history = await handle.fetchHistory();
    if (process.env.RECORD_HISTORIES)
      writeFileSync(
        path.join(import.meta.dirname, 'histories', 'trajectory-sick-leave-and-recovery.json'),
        historyToJSON((await decodePayloadsIn(history, testDataConverter.payloadCodecs![0]!)) as never),
      );
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter },
      history,
      t.workflowId,
    );
  });
});
