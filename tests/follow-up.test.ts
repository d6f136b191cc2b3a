// The follow-up after doorstroom, on the real time-skipping server: a trajectory that flows into BBL starts
// its follow-up, which asks the employer and the ROC at 3, 6 and 12 months (durable timers over a year),
// takes their answers through the API, reminds them in the morning digest (delivered to a real SMTP server),
// counts what was not answered as "no answer", and stops when the participant's data is erased.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import type { App } from '../api/app';
import type { Db } from '../db/connection';
import { outcomeCounts } from '../db/outcomes';
import { createMailer, type Mailer } from '../infra/mail';
import { addDays, addMonths, isWorkingDay, localDate, localInstant } from '../domain/calendar';
import { dutchHolidays } from '../activities/holidays';
import { followUpQuery, type followUpWorkflow } from '../workflows/follow-up';
import { followUpWorkflowId, trajectoryWorkflowId } from '../workflows/ids';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { cohortRequest, shortTemplate, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { testDataConverter } from './helpers/temporal';
import { decodePayloadsIn } from '../infra/payload-codec';

let db: Db;
let env: TestWorkflowEnvironment;
let api: TestApi;
let app: App;
let call: Call;
let partners: Partners;
let smtp: TestSmtp;
let mailer: Mailer;
let keys: { employer: string; school: string };
let cohortId: string;
let doorstroom: { id: string; employerId: string };
let erased: { id: string };
let job: { id: string; employerId: string };
const start = addDays(thisMonday(), 7);
const end = addDays(start, 7 + 4); // two weeks
const bblStart = addDays(end, 10);
const holidays = new Set(dutchHolidays(start, addDays(start, 500)).map((h) => h.date));

const answer = (id: string, months: number, body: object, token: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/trajectories/${id}/follow-ups/${months}`,
    headers: withKey(token),
    payload: body,
  });
const followUps = async (id: string) =>
  (await call('GET', `/v1/trajectories/${id}/follow-ups`)).json.followUps as {
    months: number;
    status: string;
    employed: boolean | null;
    enrolled: boolean | null;
    schoolId: string | null;
    closesOn: string;
  }[];
/** Moves the test server's clock to 10:00 (Amsterdam) on `date`, firing every timer on the way. */
async function skipTo(date: string): Promise<void> {
  const wait = localInstant(date, 10) - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
}
const firstMorning = (date: string) => {
  let d = date;
  while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
  return d;
};

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  ({ db, env, app, call } = api);
  partners = await seedPartners(call, 'Nazorg');
  for (const [org, role, email] of [
    [partners.employerIds[0]!, 'workplace_trainer', 'petra@zorg.example.nl'],
    [partners.employerIds[1]!, 'workplace_trainer', 'wim@thuiszorg.example.nl'],
    [partners.schoolId, 'roc_coordinator', 'rob@roc.example.nl'],
  ]) {
    expect(
      (await call('POST', `/v1/organisations/${org}/contacts`, { role, name: email!.split('@')[0], email })).status,
    ).toBe(201);
  }
  keys = {
    employer: await createKey(call, partners.employerIds[0]!, 'employer'),
    school: await createKey(call, partners.schoolId, 'school'),
  };
  // A two-week programme, so the year after it is what the test is about.
  const programmeId = uniqueId('kort');
  expect(
    (
      await call('POST', '/v1/programmes', {
        id: programmeId,
        name: 'Kort traject',
        template: shortTemplate(),
      })
    ).status,
  ).toBe(201);
  const request = { ...cohortRequest({ ...partners, size: 3, startDate: start }), programmeId };
  // Participants 1 and 2 at the first employer (2 is erased later), participant 3 at the second.
  request.participants = request.participants.map((p, i) => ({
    ...p,
    employerId: partners.employerIds[i === 2 ? 1 : 0]!,
  }));
  const launched = await call('POST', '/v1/cohorts', request);
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  cohortId = launched.json.id;
  const [a, b, c] = launched.json.trajectories;
  doorstroom = a;
  erased = b;
  job = c;
  smtp = await startSmtp();
  mailer = createMailer(
    { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
    db,
  );
}, 60_000);

afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await api?.close();
});

describe('the follow-up after doorstroom', () => {
  it('starts when a trajectory flows into BBL (or a job), planned 3, 6 and 12 months on', async () => {
    await skipTo(addDays(start, 1));
    for (const t of [doorstroom, erased]) {
      expect(
        (await call('POST', `/v1/trajectories/${t.id}/bbl`, { by: 'employer', contractStartDate: bblStart })).status,
      ).toBe(200);
      expect((await call('POST', `/v1/trajectories/${t.id}/bbl`, { by: 'school' })).status).toBe(200);
    }
    expect((await call('POST', `/v1/trajectories/${job.id}/bbl`, { by: 'employer', jobWithoutBbl: true })).status).toBe(
      200,
    );
    for (const t of [doorstroom, erased, job]) await env.client.workflow.getHandle(trajectoryWorkflowId(t.id)).result();

    const rounds = await env.client.workflow.getHandle(followUpWorkflowId(doorstroom.id)).query(followUpQuery);
    expect(rounds.map((r) => [r.months, r.dueOn, r.status])).toEqual(
      [3, 6, 12].map((m) => [m, addMonths(bblStart, m), 'pending']),
    );
    // A job without BBL is followed from the end date, and only the employer is asked.
    const jobRounds = await env.client.workflow.getHandle(followUpWorkflowId(job.id)).query(followUpQuery);
    expect(jobRounds[0]!.dueOn).toBe(addMonths(end, 3));
    // Nothing is asked before its day.
    expect(await followUps(doorstroom.id)).toEqual([]);
    const early = await answer(doorstroom.id, 3, { employed: true }, keys.employer);
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([
      { field: 'months', message: `the 3-month follow-up opens on ${addMonths(bblStart, 3)}` },
    ]);
  }, 120_000);

  it('asks employer and ROC on the due date, in the morning digest, and takes their answers', async () => {
    const morning = firstMorning(addMonths(bblStart, 3));
    await skipTo(morning);
    expect(await followUps(doorstroom.id)).toEqual([
      expect.objectContaining({
        months: 3,
        status: 'open',
        employed: null,
        enrolled: null,
        schoolId: partners.schoolId,
      }),
    ]);
    expect(await followUps(job.id)).toEqual([expect.objectContaining({ months: 3, status: 'open', schoolId: null })]);

    const activities = createActivities({
      db,
      mailer,
      temporal: env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(morning, 10),
    });
    const ids = await activities.composeDigests({ date: morning });
    await activities.deliverMail({ ids });
    const to = (address: string) =>
      smtp.received.filter((m) => (m.to as { text: string } | undefined)?.text === address);
    const [employerMail] = to('petra@zorg.example.nl');
    expect(to('petra@zorg.example.nl')).toHaveLength(1);
    expect(employerMail!.text).toContain('3 maanden na de start van de BBL: werkt Deelnemer nog bij u?');
    expect(employerMail!.text).toContain('Deelnemer (WB-001)');
    // Answered on its page: after signing in here (these activities sign no personal links), never by the API.
    expect(employerMail!.text).toContain('Beantwoord de vraag na het inloggen: https://toeleiding.example.nl/inloggen');
    expect(employerMail!.text).not.toMatch(/\/v1\/|POST/);
    expect(to('rob@roc.example.nl')[0]!.text).toContain('staat Deelnemer nog ingeschreven in de BBL?');

    const employed = await answer(doorstroom.id, 3, { employed: true }, keys.employer);
    expect(employed.statusCode, employed.body).toBe(200);
    expect(employed.json()).toMatchObject({
      months: 3,
      employed: true,
      employedOn: localDate(await env.currentTimeMs()),
      enrolled: null,
    });
    // Each answers for its own part.
    const wrongPart = await answer(doorstroom.id, 3, { employed: false }, keys.school);
    expect(wrongPart.statusCode).toBe(403);
    expect(wrongPart.json().errors[0].field).toBe('employed');
    expect((await answer(doorstroom.id, 3, { enrolled: true }, keys.school)).statusCode).toBe(200);
    // After a job without BBL only the employment is asked.
    const noEnrolment = await answer(job.id, 3, { enrolled: true }, keys.school);
    expect(noEnrolment.statusCode).toBe(422);
    expect(noEnrolment.json().errors).toEqual([{ field: 'enrolled', message: 'is asked only after BBL doorstroom' }]);
    expect(await followUps(doorstroom.id)).toEqual([
      expect.objectContaining({ months: 3, employed: true, enrolled: true, status: 'open' }),
    ]);
  });

  it('stops asking about a participant whose data is erased', async () => {
    const res = await call('POST', `/v1/trajectories/${erased.id}/erasure`, {});
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await env.client.workflow.getHandle(followUpWorkflowId(erased.id)).describe()).status.name).toBe(
      'TERMINATED',
    );
    expect(await followUps(erased.id)).toEqual([
      expect.objectContaining({ months: 3, status: 'closed', employed: null }),
    ]);
  });

  it('counts what was not answered in its window as "no answer", and carries a "no" forward', async () => {
    await skipTo(firstMorning(addMonths(bblStart, 6)));
    expect((await answer(doorstroom.id, 6, { employed: false }, keys.employer)).statusCode).toBe(200);
    const [, six] = await followUps(doorstroom.id);
    await skipTo(addDays(six!.closesOn, 1));
    expect((await followUps(doorstroom.id))[1]).toMatchObject({
      months: 6,
      status: 'closed',
      employed: false,
      enrolled: null,
    });
    const late = await answer(doorstroom.id, 6, { enrolled: true }, keys.school);
    expect(late.statusCode).toBe(422);
    expect(late.json().errors[0].message).toBe(`the 6-month follow-up closed on ${six!.closesOn}`);

    await skipTo(firstMorning(addMonths(bblStart, 12)));
    // The former employer is not asked again: its "no" stands.
    expect((await followUps(doorstroom.id))[2]).toMatchObject({
      months: 12,
      status: 'open',
      employed: false,
      enrolled: null,
    });
    expect((await answer(doorstroom.id, 12, { enrolled: true }, keys.school)).statusCode).toBe(200);
    const rounds = await env.client.workflow
      .getHandle<typeof followUpWorkflow>(followUpWorkflowId(doorstroom.id))
      .result();
    expect(rounds.map((r) => [r.months, r.status, r.employed, r.enrolled ?? null])).toEqual([
      [3, 'closed', true, true],
      [6, 'closed', false, null],
      [12, 'closed', false, true],
    ]);
    if (process.env.RECORD_HISTORIES) {
      const history = await decodePayloadsIn(
        await env.client.workflow.getHandle(followUpWorkflowId(doorstroom.id)).fetchHistory(),
        testDataConverter.payloadCodecs![0]!,
      );
      writeFileSync(
        path.join(import.meta.dirname, 'histories', 'follow-up-answers-and-no-answer.json'),
        historyToJSON(history as never),
      );
    }
    await env.client.workflow.getHandle(followUpWorkflowId(job.id)).result();
  }, 120_000);

  it('feeds the "still in work / still in BBL after N months" figures', async () => {
    const { followUps: raw } = await outcomeCounts(db, { cohortId });
    const figures = Object.fromEntries(
      raw.map((f) => [
        f.months,
        Object.fromEntries(
          Object.entries(f)
            .filter(([k]) => k !== 'months')
            .map(([k, v]) => [k, Number(v)]),
        ),
      ]),
    );
    expect(figures).toEqual({
      // Participant 1 answered; the erased participant's question closed unanswered; the job's employer never answered.
      3: {
        asked: 3,
        employed_yes: 1,
        employed_no: 0,
        employed_none: 2,
        employed_open: 0,
        enrolment_asked: 2,
        enrolled_yes: 1,
        enrolled_no: 0,
        enrolled_none: 1,
        enrolled_open: 0,
      },
      6: {
        asked: 2,
        employed_yes: 0,
        employed_no: 1,
        employed_none: 1,
        employed_open: 0,
        enrolment_asked: 1,
        enrolled_yes: 0,
        enrolled_no: 0,
        enrolled_none: 1,
        enrolled_open: 0,
      },
      12: {
        asked: 2,
        employed_yes: 0,
        employed_no: 1,
        employed_none: 1,
        employed_open: 0,
        enrolment_asked: 1,
        enrolled_yes: 1,
        enrolled_no: 0,
        enrolled_none: 0,
        enrolled_open: 0,
      },
    });
    // Three participants: every cell is too small to show.
    const shown = (await call('GET', `/v1/outcomes?cohortId=${cohortId}`)).json;
    expect(shown.followUp['3']).toEqual({
      asked: null,
      employed: { yes: null, no: null, noAnswer: null, open: null },
      enrolmentAsked: null,
      enrolled: { yes: null, no: null, noAnswer: null, open: null },
    });
  });
});
