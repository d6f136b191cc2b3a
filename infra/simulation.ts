// A cohort preview: the real workflows, activities and API on the time-skipping Temporal test server, with an
// in-memory PGlite database. Partner actions happen on their dates through the same HTTP routes partners
// use; every Friday afternoon the employers and the ROC record their week ("all present except ...").
// The format is documented in README, "Simulating a cohort", with the worked example in
// infra/scenarios/west-brabant-2027.json.
import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { createActivities } from '../activities';
import { createReminderActivities } from '../activities/reminders';
import { buildApp } from '../api/app';
import { Email, Id, IsoDate, Text, Weekday } from '../domain/primitives';
import { Change } from '../domain/changes';
import { ExtensionDecision } from '../domain/benefit';
import { BenefitAtLaunch } from '../api/schemas/benefit';
import { BblConfirmation, CheckpointRecording, Closure } from '../domain/recording';
import { creboOf } from '../domain/readiness';
import { LEAVE_REASONS, StepResult } from '../domain/recruitment';
import { AbsenceReason, isFinal } from '../domain/statuses';
import { connectPglite, openPglite } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { findProgramme } from '../db/programmes';
import { listTrajectoryEvents } from '../db/trajectories';
import { addDays, isoWeekday, localDate, localInstant, WEEKDAYS } from '../domain/calendar';
import { TASK_QUEUE } from '../workflows/ids';
import { scheduleQuery, type TrajectoryResult } from '../workflows/trajectory';
import type { Mail, Mailer } from './mail';
import { createPayloadCodec, decodePayloadsIn, newPayloadKey, parsePayloadKeys } from './payload-codec';
import { ensureSearchAttributes } from './temporal';
import { untracedWorkerOptions } from './telemetry';
import { testServerExecutable } from './temporal-binaries';
import { workflowsPath } from './workflows-path';

const On = Type.Intersect([IsoDate], { description: 'The day the partner acts (at noon, Amsterdam time)' });
const Participant = Type.String({ minLength: 1, maxLength: 64, description: 'A participant reference' });

/**
 * The recruitment round before the cohort (issue 20): candidates from the gemeente's list go through the draaiboek
 * on their dates; those matched are launched into the cohort as the participant they name, under the
 * pseudonymous reference the round gave them.
 */
const Recruitment = Type.Object(
  {
    name: Text(),
    openedOn: Type.Intersect([IsoDate], { description: 'The round opens and the list comes in (at 09:00)' }),
    launchOn: Type.Intersect([IsoDate], {
      description: 'The matched candidates are launched into the cohort (at 09:00); before the start date',
    }),
    candidates: Type.Array(
      Type.Object(
        {
          firstName: Text(100),
          lastName: Text(100),
          dateOfBirth: Type.Optional(IsoDate),
          email: Type.Optional(Email),
          participant: Type.Optional(Participant),
          steps: Type.Optional(Type.Array(StepResult)),
          leaves: Type.Optional(
            Type.Object(
              { on: IsoDate, reason: Type.Enum(Object.keys(LEAVE_REASONS) as (keyof typeof LEAVE_REASONS)[]) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 400 },
    ),
  },
  { additionalProperties: false },
);

export const Scenario = Type.Object(
  {
    programme: Type.Optional(
      Type.Object({ id: Id, version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
    ),
    region: Text(100),
    recruitment: Type.Optional(Recruitment),
    startDate: Type.Intersect([IsoDate], {
      description: 'A Monday after today: the simulated clock starts now and only runs forward',
    }),
    school: Type.Object(
      { id: Id, name: Text(), closures: Type.Optional(Type.Array(Closure)) },
      { additionalProperties: false },
    ),
    schoolWeekday: Weekday,
    employers: Type.Array(Type.Object({ id: Id, name: Text() }, { additionalProperties: false }), { minItems: 1 }),
    participants: Type.Array(
      Type.Object(
        {
          reference: Participant,
          employerId: Id,
          placementWeekdays: Type.Array(Weekday, { uniqueItems: true }),
          name: Type.Optional(Text()),
          email: Type.Optional(Email),
          benefit: Type.Optional(BenefitAtLaunch),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    /** Absences the weekly recording reports; every other planned day is recorded present. */
    absences: Type.Optional(
      Type.Array(
        Type.Object(
          { participant: Participant, date: IsoDate, reason: AbsenceReason },
          { additionalProperties: false },
        ),
      ),
    ),
    weeklyAttendance: Type.Optional(
      Type.Boolean({ default: true, description: 'Employers and the ROC record each week on Friday at 16:00' }),
    ),
    actions: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Object(
            { on: On, participant: Participant, checkpoint: CheckpointRecording },
            { additionalProperties: false },
          ),
          Type.Object({ on: On, participant: Participant, change: Change }, { additionalProperties: false }),
          Type.Object({ on: On, participant: Participant, bbl: BblConfirmation }, { additionalProperties: false }),
          Type.Object(
            { on: On, participant: Participant, benefitExtension: ExtensionDecision },
            { additionalProperties: false },
          ),
          Type.Object({ on: On, closure: Closure }, { additionalProperties: false }),
        ]),
      ),
    ),
  },
  { additionalProperties: false },
);
export type Scenario = Static<typeof Scenario>;
type Action = NonNullable<Scenario['actions']>[number];

export interface Report {
  cohortId: string;
  startDate: string;
  /** The recruitment round, when the scenario has one: every candidate with where it ended. */
  recruitment?: {
    roundId: string;
    candidates: {
      reference: string;
      participant?: string;
      status: string;
      step: string;
      leftReason: string | null;
      history: { step: string; outcome: string; on: string }[];
    }[];
  };
  participants: {
    /** The participant as the scenario names it (e.g. WB-001). */
    label: string;
    /** The reference in the system: the scenario's, or the candidate's pseudonymous one when it was recruited. */
    reference: string;
    trajectoryId: string;
    plan: {
      endDate: string;
      weeks: { week: number; days: { date: string; kind: string; status: string; reason?: string }[] }[];
    };
    events: { seq: number; type: string; date: string; data: unknown }[];
    outcome: TrajectoryResult['outcome'] | null;
    endDate: string;
  }[];
  mails: (Mail & { at: string })[];
  /** Partner actions the API refused, with its answer: a preview shows mistakes instead of hiding them. */
  refused: { on: string; request: string; status: number; detail: string }[];
}

export class ScenarioError extends Error {}

export function parseScenario(raw: unknown): Scenario {
  const errors = [...Value.Errors(Scenario, raw)];
  if (errors.length > 0) {
    throw new ScenarioError(
      `invalid scenario:\n${errors
        .slice(0, 10)
        .map((e) => `  ${e.instancePath || '/'}: ${e.message}`)
        .join('\n')}`,
    );
  }
  return Value.Default(Scenario, structuredClone(raw)) as Scenario;
}

/** Moves every date of a scenario by whole weeks (weekdays stay), e.g. to replay last year's cohort. */
export function shiftScenario(s: Scenario, weeks: number): Scenario {
  const d = (date: string) => addDays(date, weeks * 7);
  const closure = (c: Static<typeof Closure>) => ({ ...c, from: d(c.from), to: d(c.to) });
  return {
    ...s,
    startDate: d(s.startDate),
    recruitment: s.recruitment && {
      ...s.recruitment,
      openedOn: d(s.recruitment.openedOn),
      launchOn: d(s.recruitment.launchOn),
      candidates: s.recruitment.candidates.map((c) => ({
        ...c,
        steps: c.steps?.map((x) => ({ ...x, on: d(x.on) })),
        leaves: c.leaves && { ...c.leaves, on: d(c.leaves.on) },
      })),
    },
    participants: s.participants.map((p) =>
      p.benefit
        ? {
            ...p,
            benefit: {
              ...p.benefit,
              ...(p.benefit.startDate && { startDate: d(p.benefit.startDate) }),
              ...(p.benefit.decisionDate && { decisionDate: d(p.benefit.decisionDate) }),
            },
          }
        : p,
    ),
    school: { ...s.school, closures: s.school.closures?.map(closure) },
    absences: s.absences?.map((a) => ({ ...a, date: d(a.date) })),
    actions: s.actions?.map((a): Action => {
      const on = d(a.on);
      if ('closure' in a) return { ...a, on, closure: closure(a.closure) };
      if ('change' in a) {
        const c = a.change;
        // A change's dates are `from` (it takes effect) or `date` (it ends something), whatever its type.
        const change = 'from' in c ? { ...c, from: d(c.from) } : 'date' in c ? { ...c, date: d(c.date) } : c;
        return { ...a, on, change };
      }
      if ('benefitExtension' in a) {
        const x = a.benefitExtension;
        return { ...a, on, benefitExtension: { ...x, until: d(x.until), decidedOn: d(x.decidedOn) } };
      }
      if ('bbl' in a && 'contractStartDate' in a.bbl)
        return { ...a, on, bbl: { ...a.bbl, contractStartDate: d(a.bbl.contractStartDate) } };
      return { ...a, on };
    }),
  };
}

export interface SimulationOptions {
  /** A prebuilt workflow bundle (the tests build one per run); otherwise the worker bundles workflows/. */
  workflowBundlePath?: string;
  /**
   * Called with the workflow history of each participant, e.g. to record replay fixtures. Its payloads are
   * decrypted: the simulation's key lives only as long as the run, and its participants are made up.
   */
  onHistory?: (reference: string, history: unknown) => void | Promise<void>;
}

let runtimeInstalled = false;

type Call = (method: 'GET' | 'POST', url: string, payload?: object, as?: string) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON answer, as `must` in simulate gives it
type Must = (method: 'GET' | 'POST', url: string, payload?: object, as?: string) => Promise<any>;
type Step = { at: number; run: () => Promise<unknown> };

interface RoundCandidate {
  id: string;
  reference: string;
  firstName: string;
  lastName: string;
  status: string;
  step: string;
  employerId: string | null;
  leftReason: string | null;
  history: { step: string; outcome: string; on: string }[];
}

/**
 * The recruitment round before the cohort, through the coordinator's own API calls: the list comes in when the
 * round opens, each candidate's steps happen at noon on their dates, the morning digests go out as every morning,
 * and on the launch day the candidates named for a participant must have been matched.
 */
async function recruit(
  round: Static<typeof Recruitment>,
  ctx: {
    call: Call;
    must: Must;
    play: (steps: Step[]) => Promise<void>;
    digestAt: (date: string) => Step;
    officeKey: string;
    programmeId: string;
    region: string;
    sourceId: string;
  },
) {
  const { call, must, officeKey } = ctx;
  let roundId = '';
  let ids: string[] = [];
  const steps: Step[] = [
    {
      at: localInstant(round.openedOn, 9),
      run: async () => {
        roundId = (
          await must(
            'POST',
            '/v1/recruitment-rounds',
            { programmeId: ctx.programmeId, region: ctx.region, name: round.name },
            officeKey,
          )
        ).id;
        const added = await must(
          'POST',
          `/v1/recruitment-rounds/${roundId}/candidates`,
          {
            candidates: round.candidates.map((c) => ({
              firstName: c.firstName,
              lastName: c.lastName,
              ...(c.dateOfBirth && { dateOfBirth: c.dateOfBirth }),
              ...(c.email && { email: c.email }),
              sourceId: ctx.sourceId,
            })),
          },
          officeKey,
        );
        ids = added.candidates.map((c: { id: string }) => c.id);
      },
    },
  ];
  round.candidates.forEach((c, i) => {
    for (const s of c.steps ?? [])
      steps.push({
        at: localInstant(s.on, 12),
        run: () => call('POST', `/v1/candidates/${ids[i]}/steps`, s, officeKey),
      });
    if (c.leaves)
      steps.push({
        at: localInstant(c.leaves.on, 12),
        run: () => call('POST', `/v1/candidates/${ids[i]}/leave`, c.leaves, officeKey),
      });
  });
  for (let day = round.openedOn; day < round.launchOn; day = addDays(day, 1))
    if (isoWeekday(day) !== 7) steps.push(ctx.digestAt(day));
  steps.push({ at: localInstant(round.launchOn, 9), run: async () => {} });
  await ctx.play(steps);

  const candidates = async (): Promise<RoundCandidate[]> =>
    (await must('GET', `/v1/recruitment-rounds/${roundId}`, undefined, officeKey)).candidates;
  const byId = new Map((await candidates()).map((c) => [c.id, c]));
  const launch = round.candidates.flatMap((c, i) => {
    if (!c.participant) return [];
    const got = byId.get(ids[i]!)!;
    if (got.status !== 'matched')
      throw new ScenarioError(
        `recruitment: ${c.firstName} ${c.lastName} (${c.participant}) is ${got.status} at step ${got.step} on ` +
          `${round.launchOn}, not matched: the cohort cannot start with them`,
      );
    return [
      {
        participant: c.participant,
        reference: got.reference,
        name: `${got.firstName} ${got.lastName}`,
        email: c.email,
        employerId: got.employerId ?? undefined,
      },
    ];
  });
  return {
    launch,
    report: async (): Promise<NonNullable<Report['recruitment']>> => {
      const now = new Map((await candidates()).map((c) => [c.id, c]));
      return {
        roundId,
        candidates: round.candidates.map((c, i) => {
          const got = now.get(ids[i]!)!;
          return {
            reference: got.reference,
            ...(c.participant && { participant: c.participant }),
            status: got.status,
            step: got.step,
            leftReason: got.leftReason,
            history: got.history.map((h) => ({ step: h.step, outcome: h.outcome, on: h.on })),
          };
        }),
      };
    },
  };
}

export async function simulate(scenario: Scenario, options: SimulationOptions = {}): Promise<Report> {
  if (!runtimeInstalled) {
    // Logs go to stderr: stdout carries the report.
    Runtime.install({
      logger: new DefaultLogger('WARN', (e) => process.stderr.write(`${e.level} ${e.message}\n`)),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } },
    });
    runtimeInstalled = true;
  }
  const pglite = await openPglite();
  const db = connectPglite(pglite);
  await migrateToLatest(db);
  // Encrypted as in production, under a key that lives as long as this throwaway test server.
  const codec = createPayloadCodec(parsePayloadKeys(newPayloadKey()));
  const dataConverter = { payloadCodecs: [codec] };
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable(process.env) },
    client: { dataConverter },
  });
  let now = await env.currentTimeMs();
  const mails: Report['mails'] = [];
  const mailer: Mailer = {
    kind: 'dev-mailbox',
    send: async (m) => void mails.push({ ...m, at: new Date(await env.currentTimeMs()).toISOString() }),
    close: () => {},
  };
  try {
    if (scenario.startDate <= localDate(now))
      throw new ScenarioError(
        `startDate ${scenario.startDate} must lie after today (${localDate(now)}): the simulated clock ` +
          `cannot run backwards; shift the scenario by whole weeks`,
      );
    if (isoWeekday(scenario.startDate) !== 1)
      throw new ScenarioError(`startDate ${scenario.startDate} is not a Monday`);
    const round = scenario.recruitment;
    if (round && !(localDate(now) < round.openedOn && round.openedOn < round.launchOn))
      throw new ScenarioError(
        `recruitment: openedOn ${round.openedOn} must lie after today and before launchOn ${round.launchOn}`,
      );
    if (round && round.launchOn >= scenario.startDate)
      throw new ScenarioError(`recruitment: launchOn ${round.launchOn} must lie before startDate`);
    await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      ...(options.workflowBundlePath
        ? { workflowBundle: { codePath: options.workflowBundlePath } }
        : { workflowsPath }),
      ...untracedWorkerOptions(Boolean(options.workflowBundlePath)),
      activities: createActivities({ db, mailer, temporal: env.client }),
      dataConverter,
    });
    return await worker.runUntil(async () => {
      const token = randomUUID();
      const app = await buildApp({
        config: {
          TEMPORAL_TASK_QUEUE: TASK_QUEUE,
          LOG_LEVEL: 'warn',
          ADMIN_TOKEN: token,
          BSN_HMAC_KEY: randomBytes(32).toString('base64url'),
        },
        db,
        temporal: env.client,
        mailer,
        now: () => now,
      });
      const refused: Report['refused'] = [];
      const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, as: string = token) => {
        const res = await app.inject({
          method,
          url,
          payload,
          headers: { authorization: `Bearer ${as}`, 'idempotency-key': randomUUID() },
        });
        if (res.statusCode >= 400)
          refused.push({
            on: localDate(now),
            request: `${method} ${url}`,
            status: res.statusCode,
            detail: res.json().detail ?? res.body,
          });
        return res;
      };
      const must = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, as: string = token) => {
        const res = await call(method, url, payload, as);
        if (res.statusCode >= 400)
          throw new ScenarioError(`${method} ${url}: ${res.statusCode} ${res.json().detail ?? res.body}`);
        return res.json();
      };

      // The covenant: the scenario's ROC and employers, with a programme office (whose jobcoach guides
      // everyone) and the gemeente that pays the benefits.
      for (const e of scenario.employers)
        await must('POST', '/v1/organisations', { id: e.id, name: e.name, kind: 'employer', region: scenario.region });
      await must('POST', '/v1/organisations', {
        id: scenario.school.id,
        name: scenario.school.name,
        kind: 'school',
        region: scenario.region,
      });
      const office = await must('POST', '/v1/organisations', {
        id: 'programmabureau',
        name: `Programmabureau ${scenario.region}`,
        kind: 'programme_office',
        region: scenario.region,
      });
      const gemeente = await must('POST', '/v1/organisations', {
        id: 'gemeente',
        name: `Gemeente ${scenario.region}`,
        kind: 'gemeente',
        region: scenario.region,
      });
      const jobcoach = await must('POST', `/v1/organisations/${office.id}/contacts`, {
        id: 'jobcoach',
        role: 'jobcoach',
        name: 'Jobcoach',
        email: 'jobcoach@example.nl',
      });
      // Everyone the reminders go to: a workplace trainer per employer, the ROC coordinator, the coordinator.
      for (const e of scenario.employers)
        await must('POST', `/v1/organisations/${e.id}/contacts`, {
          role: 'workplace_trainer',
          name: `Praktijkopleider ${e.name}`,
          email: `praktijkopleider@${e.id}.example.nl`,
        });
      await must('POST', `/v1/organisations/${scenario.school.id}/contacts`, {
        role: 'roc_coordinator',
        name: `Coördinator ${scenario.school.name}`,
        email: `coordinator@${scenario.school.id}.example.nl`,
      });
      await must('POST', `/v1/organisations/${office.id}/contacts`, {
        role: 'coordinator',
        name: 'Programmacoördinator',
        email: 'coordinator@programmabureau.example.nl',
      });
      const covenant = await must('POST', '/v1/covenants', {
        id: 'convenant',
        name: `Convenant ${scenario.region}`,
        region: scenario.region,
        programmeOfficeId: office.id,
        members: [
          { organisationId: scenario.school.id, role: 'school' },
          ...scenario.employers.map((e) => ({ organisationId: e.id, role: 'employer' })),
          { organisationId: gemeente.id, role: 'funder' },
        ],
      });
      for (const c of scenario.school.closures ?? [])
        await must('POST', `/v1/organisations/${scenario.school.id}/closures`, c);
      // Each employer as the office recorded it before the first start: a recognised leerbedrijf for the
      // programme's qualification, every precondition met, a place for everyone (a placement starts only then).
      const programme = await findProgramme(db, scenario.programme?.id ?? 'welslagen', scenario.programme?.version);
      for (const e of scenario.employers)
        await must('PUT', `/v1/organisations/${e.id}/readiness/${creboOf(programme?.template ?? {})}`, {
          officeId: office.id,
          recognition: { number: `SBB-${e.id}`, recognisedOn: '2024-06-03', checkedOn: localDate(now) },
          checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true },
          places: scenario.participants.length,
        });

      // Every morning but Sunday at 10:00 the digests go out, as the worker's Schedule does.
      const reminders = createReminderActivities({
        db,
        mailer,
        temporal: env.client,
        publicUrl: 'https://toeleiding.example.nl',
        now: () => now,
      });
      const digestAt = (date: string): Step => ({
        at: localInstant(date, 10),
        run: async () => {
          const ids = await reminders.composeDigests({ date });
          if (ids.length) await reminders.deliverMail({ ids });
        },
      });
      /** Runs the steps in time order, the simulated clock moving to each; `until` stops before a step. */
      const play = async (steps: Step[], until: () => Promise<boolean> = async () => false) => {
        steps.sort((a, b) => a.at - b.at);
        for (const step of steps) {
          const wait = step.at - (await env.currentTimeMs());
          if (wait > 0) await env.sleep(wait);
          now = await env.currentTimeMs();
          if (await until()) break;
          await step.run();
        }
      };

      const recruited = round
        ? await recruit(round, {
            call,
            must,
            play,
            digestAt,
            officeKey: (
              await must('POST', '/v1/api-keys', {
                organisationId: office.id,
                role: 'coordinator',
                label: 'Simulatie: programmacoördinator',
              })
            ).secret,
            programmeId: scenario.programme?.id ?? 'welslagen',
            region: scenario.region,
            sourceId: gemeente.id,
          })
        : undefined;
      const launched = new Map(recruited?.launch.map((c) => [c.participant, c]));
      const referenceOf = new Map(
        scenario.participants.map((p) => [p.reference, launched.get(p.reference)?.reference ?? p.reference]),
      );
      const labelOf = new Map([...referenceOf].map(([label, reference]) => [reference, label]));

      const cohort = await must('POST', '/v1/cohorts', {
        programmeId: scenario.programme?.id ?? 'welslagen',
        ...(scenario.programme?.version ? { programmeVersion: scenario.programme.version } : {}),
        covenantId: covenant.id,
        startDate: scenario.startDate,
        schoolId: scenario.school.id,
        schoolWeekday: scenario.schoolWeekday,
        participants: scenario.participants.map((p, i) => ({
          reference: referenceOf.get(p.reference)!,
          name: launched.get(p.reference)?.name ?? p.name ?? `Deelnemer ${i + 1}`,
          email: launched.get(p.reference)?.email ?? p.email ?? `deelnemer${i + 1}@example.nl`,
          // A recruited participant goes to the employer it was matched with.
          employerId: launched.get(p.reference)?.employerId ?? p.employerId,
          placementWeekdays: p.placementWeekdays,
          jobcoachId: jobcoach.id,
          benefitPayerId: gemeente.id,
          ...(p.benefit && { benefit: p.benefit }),
        })),
      });
      const idOf = new Map<string, string>(
        cohort.trajectories.map((t: { reference: string; id: string }) => [labelOf.get(t.reference)!, t.id]),
      );
      const handles = cohort.trajectories.map((t: { workflowId: string }) =>
        env.client.workflow.getHandle(t.workflowId),
      );
      const trajectory = (ref: string) => {
        const id = idOf.get(ref);
        if (!id) throw new ScenarioError(`no participant ${ref}`);
        return id;
      };

      const isSchoolDay = (date: string) => WEEKDAYS[isoWeekday(date) - 1] === scenario.schoolWeekday;

      // The timeline: each action at noon on its day, each week's recording on Friday at 16:00.
      const steps: Step[] = (scenario.actions ?? []).map((a) => ({
        at: localInstant(a.on, 12),
        run: () =>
          'closure' in a
            ? call('POST', `/v1/organisations/${scenario.school.id}/closures`, a.closure)
            : 'checkpoint' in a
              ? call('POST', `/v1/trajectories/${trajectory(a.participant)}/checkpoints`, a.checkpoint)
              : 'change' in a
                ? call('POST', `/v1/trajectories/${trajectory(a.participant)}/changes`, a.change)
                : 'benefitExtension' in a
                  ? call('POST', `/v1/trajectories/${trajectory(a.participant)}/benefit-extensions`, a.benefitExtension)
                  : call('POST', `/v1/trajectories/${trajectory(a.participant)}/bbl`, a.bbl),
      }));
      if (scenario.weeklyAttendance !== false) {
        // far enough for extensions; finished trajectories are skipped
        const lastWeek = addDays(scenario.startDate, (40 - 1) * 7);
        for (let monday = scenario.startDate; monday <= lastWeek; monday = addDays(monday, 7)) {
          const week = monday;
          const absencesIn = (ids: Set<string>) =>
            (scenario.absences ?? [])
              .filter((a) => a.date >= week && a.date <= addDays(week, 4) && ids.has(a.participant))
              .map((a) => ({ trajectoryId: trajectory(a.participant), date: a.date, reason: a.reason }));
          steps.push({
            at: localInstant(addDays(week, 4), 16),
            run: async () => {
              for (const org of [...scenario.employers.map((e) => e.id), scenario.school.id]) {
                const ofOrg = new Set(
                  scenario.participants
                    .filter((p) => org === scenario.school.id || p.employerId === org)
                    .map((p) => p.reference),
                );
                // An employer's absences are for placement days, the ROC's for school days; the API sorts out which
                // apply.
                await call('POST', `/v1/organisations/${org}/attendance-weeks`, {
                  weekStart: week,
                  absences: absencesIn(ofOrg).filter((a) => isSchoolDay(a.date) === (org === scenario.school.id)),
                });
              }
            },
          });
        }
      }
      for (let day = scenario.startDate; day <= addDays(scenario.startDate, 40 * 7); day = addDays(day, 1))
        if (isoWeekday(day) !== 7) steps.push(digestAt(day));
      // Results are awaited only at the end: waiting on a result lets the test server skip time freely,
      // which would run the clock past the steps still to come.
      await play(steps, async () => {
        // A query waits for any workflow task in flight, so every timer due by now has been handled.
        const statuses = await Promise.all(
          handles.map(
            async (h: { query: (q: typeof scheduleQuery) => Promise<{ status: string }> }) =>
              (await h.query(scheduleQuery)).status,
          ),
        );
        return statuses.every(isFinal);
      });
      const results = new Map<string, TrajectoryResult>();
      for (const h of handles as { workflowId: string; result(): Promise<TrajectoryResult> }[])
        results.set(h.workflowId, await h.result());
      now = await env.currentTimeMs();

      const participants: Report['participants'] = [];
      for (const t of cohort.trajectories as { id: string; reference: string; workflowId: string }[]) {
        const handle = env.client.workflow.getHandle(t.workflowId);
        const plan = await handle.query(scheduleQuery);
        const result = results.get(t.workflowId)!;
        const events = await listTrajectoryEvents(db, t.id);
        participants.push({
          label: labelOf.get(t.reference)!,
          reference: t.reference,
          trajectoryId: t.id,
          plan: { endDate: plan.endDate, weeks: plan.weeks },
          events: events.map((e) => ({ seq: e.seq, type: e.type, date: e.occurred_on, data: e.data })),
          outcome: result.outcome ?? null,
          endDate: result.endDate,
        });
        if (options.onHistory)
          await options.onHistory(
            labelOf.get(t.reference)!,
            await decodePayloadsIn(await handle.fetchHistory(), codec),
          );
      }
      const recruitment = recruited && (await recruited.report());
      await app.close();
      return { cohortId: cohort.id, startDate: scenario.startDate, recruitment, participants, mails, refused };
    });
  } finally {
    await env.teardown();
    await db.destroy();
  }
}
