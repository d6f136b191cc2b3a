// Every deadline a durable timer (issue 21, part 5), on the real Temporal test server (time-skipping) and
// PostgreSQL: a launched trajectory starts its deadlines workflow; the payer's reminder before the instrument's
// maximum is recorded when its timer fires on the first working morning 14 days before, not a minute earlier; an
// extension decision signals the workflow, which computes the deadline again, so the reminder does not come on the
// old day but on the new one; and the morning mail carries it once. The pure rule of the days a deadline is
// reached on is tested first.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { benefitAdjustmentDeadline, benefitMaximumDeadline, type BenefitDeadlineFacts } from '../domain/benefit';
import { dutchHolidays } from '../activities/holidays';
import { addDays, addMonths, firstWorkingDay, isWeekStart, localDate, localInstant } from '../domain/calendar';
import { isDeadline, nextReached, reachedOn, type Deadline } from '../domain/deadlines';
import { NO_POK, pokDueDeadline, pokLateDeadline, type PokDeadlineFacts } from '../domain/praktijkovereenkomst';
import { schoolYear, subsidyDeadline, subsidyYearDue } from '../domain/subsidy';
import { createMailer, type Mailer } from '../infra/mail';
import { decodePayloadsIn } from '../infra/payload-codec';
import { deadlinesWorkflowId } from '../workflows/ids';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { testDataConverter } from './helpers/temporal';

const today = localDate(Date.now());
const holidays = new Set(dutchHolidays(addDays(today, -30), addDays(today, 400)).map((h) => h.date));

describe('the days a deadline is reached on', () => {
  // A Saturday: the first working morning after it is the Monday (or the Tuesday after a holiday Monday).
  const saturday = addDays(thisMonday(), 5);
  const weekly: Deadline = {
    kind: 'benefit_adjustment',
    from: saturday,
    weekly: true,
    to: [{ organisationId: 'x', role: 'funder_analyst' }],
    data: {},
  };
  const first = firstWorkingDay(saturday, holidays);

  it('is the first working day from its date, then each week start for a weekly task', () => {
    expect(reachedOn(weekly, saturday, holidays)).toBe(false);
    expect(reachedOn(weekly, first, holidays)).toBe(true);
    expect(nextReached(weekly, addDays(first, -1), addDays(first, -3), holidays)).toBe(first);
    const next = nextReached(weekly, first, first, holidays)!;
    expect(next > first && isWeekStart(next, holidays)).toBe(true);
    expect(nextReached({ ...weekly, weekly: false }, first, first, holidays)).toBeUndefined();
  });

  it('collapses days missed while no timer could fire into the latest, within the last week', () => {
    const weeksLater = addDays(first, 7 * 5 + 2);
    const missed = nextReached(weekly, first, weeksLater, holidays)!;
    expect(missed <= weeksLater && missed > addDays(weeksLater, -7)).toBe(true);
    expect(isWeekStart(missed, holidays)).toBe(true);
  });
});

describe("the payer's two deadlines as rules", () => {
  const facts: BenefitDeadlineFacts = {
    benefit: {
      instrument: 'werkervaringsplaats',
      ruleSet: 'west-brabant',
      startDate: '2027-03-01',
      decisionDate: '2027-03-01',
      extensions: [],
    },
    payerId: 'gemeente',
    plannedEnd: '2027-07-16',
    running: true,
    contractStart: null,
    adjustmentConfirmedOn: null,
  };

  it('reminds 14 days before the maximum while the trajectory runs past it, and watches one within it', () => {
    expect(benefitMaximumDeadline(facts)).toMatchObject({
      kind: 'benefit_maximum',
      from: '2027-05-17',
      weekly: true,
      to: [{ organisationId: 'gemeente', role: 'funder_analyst' }],
      data: { maximumEnd: '2027-05-31', plannedEnd: '2027-07-16' },
    });
    expect(benefitMaximumDeadline({ ...facts, plannedEnd: '2027-05-28' })).toBe('waiting');
    expect(benefitMaximumDeadline({ ...facts, running: false })).toBe('done');
  });

  it('gives the adjustment task from the contract start until the payer confirms it', () => {
    expect(benefitAdjustmentDeadline(facts)).toBe('waiting');
    expect(benefitAdjustmentDeadline({ ...facts, running: false })).toBe('done');
    expect(benefitAdjustmentDeadline({ ...facts, running: false, contractStart: '2027-09-01' })).toMatchObject({
      kind: 'benefit_adjustment',
      from: '2027-09-01',
      weekly: true,
    });
    expect(
      benefitAdjustmentDeadline({ ...facts, contractStart: '2027-09-01', adjustmentConfirmedOn: '2027-09-03' }),
    ).toBe('done');
  });
});

describe("the POK's and the subsidy's deadlines as rules", () => {
  const pok: PokDeadlineFacts = {
    record: { ...NO_POK, drawnUpOn: '2027-01-04' },
    contractStart: '2027-02-01',
    currentEmployer: 'werkgever',
    schoolId: 'roc',
    officeId: 'bureau',
  };

  it('gives the ROC the due item weekly up to the contract start, then the ROC and the office the late one', () => {
    const due = pokDueDeadline(pok);
    expect(due).toMatchObject({ kind: 'pok_due', from: '2027-01-18', weekly: true, until: '2027-02-01' });
    expect(isDeadline(due) && due.to).toEqual([{ organisationId: 'roc', role: 'roc_coordinator' }]);
    const none = new Set<string>();
    // Monday 25 January is reached, Monday 8 February (after the start) is not: the late item takes over.
    expect(isDeadline(due) && reachedOn(due, '2027-01-25', none)).toBe(true);
    expect(isDeadline(due) && reachedOn(due, '2027-02-08', none)).toBe(false);
    const late = pokLateDeadline(pok);
    expect(late).toMatchObject({ kind: 'pok_late', from: '2027-02-02', weekly: true });
    expect(isDeadline(late) && late.to.map((t) => t.role)).toEqual(['roc_coordinator', 'coordinator']);
    const signed = { ...pok.record, participantOn: '2027-01-05', employerOn: '2027-01-05', schoolOn: '2027-01-05' };
    expect(pokDueDeadline({ ...pok, record: signed })).toBe('done');
    expect(pokLateDeadline({ ...pok, record: signed })).toBe('done');
  });

  it('reminds each employer 28 and 7 days before the application deadline, and is done once nothing can come', () => {
    const year = schoolYear('2025-2026')!;
    const facts = {
      schoolYear: year,
      deadline: '2026-09-16',
      weeks: [{ employerId: 'werkgever', weeks: 3 }],
      more: false,
    };
    const d = subsidyDeadline(facts);
    if (!isDeadline(d)) throw new Error('expected a deadline');
    const none = new Set<string>();
    expect(nextReached(d, '2026-08-01', '2026-08-01', none)).toBe('2026-08-19');
    expect(nextReached(d, '2026-08-19', '2026-08-19', none)).toBe('2026-09-09');
    expect(nextReached(d, '2026-09-09', '2026-09-09', none)).toBeUndefined();
    expect(d.to).toEqual([{ organisationId: 'werkgever', role: 'workplace_trainer' }]);
    expect(subsidyDeadline({ ...facts, weeks: [] })).toBe('done');
    expect(subsidyDeadline({ ...facts, weeks: [], more: true })).toBe('waiting');
    expect(subsidyYearDue('2026-09-17').schoolYear.label).toBe('2026-2027');
    expect(subsidyYearDue('2026-09-16').schoolYear.label).toBe('2025-2026');
  });
});

describe("the payer's reminder on a durable timer", () => {
  let api: TestApi;
  let A: Partners;
  let smtp: TestSmtp;
  let mailer: Mailer;
  const greet = 'greet@gemeente-breda.example.nl';
  const start = addDays(thisMonday(), -14);
  let t: { id: string; reference: string };
  let coordinator = '';
  let gemeente = '';

  const call = (url: string, body: unknown, token: string) =>
    api.app.inject({ method: 'POST', url, headers: withKey(token), payload: body as object });
  /** Moves the test server's clock to `instant`, firing every timer on the way. */
  const skipTo = async (instant: number) => {
    const wait = instant - (await api.env.currentTimeMs());
    if (wait > 0) await api.env.sleep(wait);
  };
  const reached = () =>
    api.db
      .selectFrom('deadline_reached')
      .select(['kind', 'on'])
      .where('trajectory_id', '=', t.id)
      .orderBy('on')
      .execute();
  /** The timer's activity runs after the clock moved: waits (in real time) until it recorded `on`, or gives up. */
  const untilReached = async (on: string) => {
    for (let i = 0; i < 100 && !(await reached()).some((r) => r.on === on); i++)
      await new Promise((r) => setTimeout(r, 100));
    return reached();
  };
  const morning = async (date: string) => {
    const before = smtp.received.length;
    const activities = createActivities({
      db: api.db,
      mailer,
      temporal: api.env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(date, 10),
    });
    await activities.deliverMail({ ids: await activities.composeDigests({ date }) });
    return smtp.received
      .slice(before)
      .filter((m) => (m.to as { text: string } | undefined)?.text === greet && m.text?.includes(t.reference));
  };

  beforeAll(async () => {
    api = await startTestApi({ ownDatabase: true });
    A = await seedPartners(api.call);
    coordinator = await createKey(api.call, A.officeId, 'coordinator');
    gemeente = await createKey(api.call, A.gemeenteId, 'funder');
    smtp = await startSmtp();
    mailer = createMailer(
      { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@x.nl>' },
      api.db,
    );
    const contact = await api.call('POST', `/v1/organisations/${A.gemeenteId}/contacts`, {
      role: 'funder_analyst',
      name: 'Greet Gemeente',
      email: greet,
    });
    expect(contact.status).toBe(201);
    const request = cohortRequest({ ...A, size: 1, startDate: start });
    request.participants[0]!.reference = 'WB-TIMER-001';
    request.participants[0]!.benefit = { instrument: 'werkervaringsplaats', startDate: start, decisionDate: start };
    const launched = await call('/v1/cohorts', request, coordinator);
    expect(launched.statusCode, launched.body).toBe(201);
    await untilStarted(api.db, launched.json().id);
    t = launched.json().trajectories[0];
  }, 120_000);
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
    await api?.close();
  });

  it('is started with the trajectory, in a workflow of its own', async () => {
    const handle = api.env.client.workflow.getHandle(deadlinesWorkflowId(t.id));
    let described: Awaited<ReturnType<typeof handle.describe>> | undefined;
    for (let i = 0; i < 100 && !described; i++)
      described = await handle.describe().catch(async () => void (await new Promise((r) => setTimeout(r, 100))));
    expect(described?.type).toBe('deadlinesWorkflow');
    expect(described?.status.name).toBe('RUNNING');
  });

  it('fires on the first working morning 14 days before the maximum, and an extension decision moves it', async () => {
    // West-Brabant's werkervaringsplaats: 3 months, extendable by decision to 6; the trajectory runs 20 weeks.
    const maximumEnd = addDays(addMonths(start, 3), -1);
    const first = firstWorkingDay(addDays(maximumEnd, -14), holidays);
    await skipTo(localInstant(first) - 60_000);
    // Give a timer that fired too early every chance to record.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reached(), 'a minute before the day').toEqual([]);

    // The payer extends it by a month: the workflow computes again; the old day brings nothing.
    const until = addDays(addMonths(start, 4), -1);
    const extended = await call(
      `/v1/trajectories/${t.id}/benefit-extensions`,
      { until, decidedOn: today, reference: 'BESCH-1' },
      gemeente,
    );
    expect(extended.statusCode, extended.body).toBe(201);
    expect(extended.json().check).toMatchObject({ maximumEnd: until, pastMaximum: true });
    // The signal woke the workflow: the timer it slept on was cancelled and the deadline computed again at once.
    const events = async () =>
      (await api.env.client.workflow.getHandle(deadlinesWorkflowId(t.id)).fetchHistory()).events!;
    let history = await events();
    for (let i = 0; i < 50 && !history.some((e) => e.timerCanceledEventAttributes); i++) {
      await new Promise((r) => setTimeout(r, 100));
      history = await events();
    }
    const signalled = history.findIndex(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'deadlinesChanged',
    );
    expect(signalled).toBeGreaterThan(0);
    expect(history.slice(signalled).some((e) => e.timerCanceledEventAttributes)).toBe(true);
    await skipTo(localInstant(first, 12));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reached(), 'the old day, after the extension').toEqual([]);
    expect(await morning(first)).toEqual([]);

    const moved = firstWorkingDay(addDays(until, -14), holidays);
    await skipTo(localInstant(moved) - 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reached(), 'a minute before the new day').toEqual([]);
    await skipTo(localInstant(moved) + 60_000);
    expect((await untilReached(moved)).map((r) => [r.kind, r.on])).toEqual([['benefit_maximum', moved]]);

    const [mail, ...more] = await morning(moved);
    expect(more).toEqual([]);
    expect(mail?.text).toContain('Uitkeringsinstrument loopt af');
    expect(mail?.text).toMatch(/Werkervaringsplaats loopt tot en met \w+ \d+ \w+; het traject loopt tot/);
    // Once: the next morning's mail does not carry it again.
    expect(await morning(firstWorkingDay(addDays(moved, 1), holidays))).toEqual([]);

    if (process.env.RECORD_HISTORIES) {
      const history = await decodePayloadsIn(
        await api.env.client.workflow.getHandle(deadlinesWorkflowId(t.id)).fetchHistory(),
        testDataConverter.payloadCodecs![0]!,
      );
      writeFileSync(
        path.join(import.meta.dirname, 'histories', 'deadlines-reminder-moved-by-extension.json'),
        historyToJSON(history as never),
      );
    }
  }, 120_000);
});
