// Migrations run on both embedded PGlite and real PostgreSQL, are idempotent, and produce exactly the
// tables and columns the `Database` interface declares.
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPglite, connectPostgres, openPglite, type Db } from '../db/connection';
import { migrateToLatest, MIGRATIONS } from '../db/migrate';
import type { Database } from '../db/schema';
import { createThrowawayDatabase } from './helpers/postgres';

// TypeScript makes this list complete: a column missing here, or one too many, fails to compile.
const declared: { [T in keyof Database]: { [C in keyof Database[T]]: true } } = {
  programme: { id: true, version: true, name: true, template: true, created_at: true, office_id: true },
  organisation: {
    id: true,
    name: true,
    kind: true,
    region: true,
    email: true,
    created_at: true,
    office_id: true,
    kvk: true,
  },
  organisation_share: { organisation_id: true, office_id: true, granted_by: true, granted_at: true },
  cohort: {
    id: true,
    programme_id: true,
    programme_version: true,
    region: true,
    start_date: true,
    school_id: true,
    status: true,
    created_at: true,
    covenant_id: true,
  },
  trajectory: {
    id: true,
    cohort_id: true,
    reference: true,
    name: true,
    email: true,
    employer_id: true,
    placement_weekdays: true,
    school_weekday: true,
    status: true,
    end_date: true,
    workflow_id: true,
    created_at: true,
    updated_at: true,
    outcome: true,
    projected_seq: true,
    jobcoach_id: true,
    benefit_payer_id: true,
    bsn_hash: true,
    anonymised_at: true,
    days_recorded: true,
    days_attended: true,
    plan_seq: true,
  },
  trajectory_event: { trajectory_id: true, seq: true, type: true, occurred_on: true, data: true, recorded_at: true },
  attendance: {
    trajectory_id: true,
    date: true,
    kind: true,
    present: true,
    reason: true,
    correction_reason: true,
    recorded_on: true,
    seq: true,
  },
  checkpoint_review: {
    trajectory_id: true,
    key: true,
    status: true,
    note: true,
    trainer_confirmed: true,
    recorded_on: true,
    seq: true,
  },
  placement: { trajectory_id: true, from_date: true, employer_id: true },
  school_closure: {
    id: true,
    school_id: true,
    from_date: true,
    to_date: true,
    name: true,
    created_at: true,
    office_id: true,
  },
  covenant: { id: true, name: true, region: true, programme_office_id: true, created_at: true },
  covenant_member: { covenant_id: true, organisation_id: true, role: true },
  contact: {
    id: true,
    organisation_id: true,
    role: true,
    name: true,
    email: true,
    created_at: true,
    office_id: true,
    invited_at: true,
    mail_preferences: true,
  },
  api_key: {
    id: true,
    organisation_id: true,
    role: true,
    contact_id: true,
    label: true,
    secret_hash: true,
    created_by: true,
    created_at: true,
    revoked_at: true,
    last_used_at: true,
    office_id: true,
  },
  audit_event: {
    id: true,
    at: true,
    actor: true,
    organisation_id: true,
    role: true,
    action: true,
    resource: true,
    resource_id: true,
    trajectory_id: true,
    route: true,
    request_id: true,
    office_id: true,
  },
  outbox: {
    id: true,
    key: true,
    recipient: true,
    recipient_name: true,
    organisation_id: true,
    kind: true,
    day: true,
    subject: true,
    text: true,
    html: true,
    status: true,
    attempts: true,
    last_error: true,
    created_at: true,
    sent_at: true,
    claimed_at: true,
  },
  planned_day: { trajectory_id: true, date: true, kind: true, week: true, planned: true, off: true, reason: true },
  planned_checkpoint: { trajectory_id: true, key: true, name: true, week: true, week_start: true, week_end: true },
  follow_up: {
    trajectory_id: true,
    months: true,
    due_on: true,
    closes_on: true,
    employer_id: true,
    school_id: true,
    employed: true,
    employed_on: true,
    enrolled: true,
    enrolled_on: true,
    status: true,
    seq: true,
  },
  outbox_item: { outbox_id: true, trajectory_id: true, kind: true, subject: true },
  idempotency_key: {
    scope: true,
    key: true,
    request_hash: true,
    resource_id: true,
    status_code: true,
    response: true,
    created_at: true,
  },
  dev_mailbox: { id: true, recipient: true, subject: true, text: true, html: true, sent_at: true },
  calendar_link: {
    id: true,
    feed: true,
    feed_id: true,
    created_by: true,
    organisation_id: true,
    office_id: true,
    token_hash: true,
    created_at: true,
    expires_at: true,
    revoked_at: true,
  },
  web_session: {
    id: true,
    contact_id: true,
    task: true,
    created_at: true,
    last_seen_at: true,
    expires_at: true,
    ended_at: true,
  },
  used_link: { token_hash: true, used_at: true },
  placement_work_process: { employer_id: true, programme_id: true, code: true, set_by: true, set_at: true },
  work_process_evidence: {
    trajectory_id: true,
    code: true,
    shown_on: true,
    note: true,
    assessor: true,
    employer_id: true,
    recorded_by: true,
    recorded_at: true,
  },
  praktijkverklaring: {
    trajectory_id: true,
    school_id: true,
    codes: true,
    confirmed_on: true,
    confirmed_by: true,
    created_at: true,
  },
  praktijkovereenkomst: {
    trajectory_id: true,
    drawn_up_on: true,
    drawn_up_by: true,
    participant_on: true,
    participant_by: true,
    employer_on: true,
    employer_by: true,
    employer_id: true,
    school_on: true,
    school_by: true,
    bpv_blad_on: true,
    bpv_blad_by: true,
    bpv_blad_employer_id: true,
    updated_at: true,
  },
  legal_hold: {
    id: true,
    request_id: true,
    subject: true,
    subject_id: true,
    office_id: true,
    reason: true,
    until: true,
    placed_by: true,
    placed_at: true,
    lifted_on: true,
    lifted_by: true,
    lift_reason: true,
  },
  esf_staff_hours: {
    covenant_id: true,
    organisation_id: true,
    month: true,
    hours: true,
    note: true,
    recorded_by: true,
    recorded_at: true,
  },
  recruitment_round: {
    id: true,
    office_id: true,
    programme_id: true,
    region: true,
    name: true,
    draaiboek: true,
    created_at: true,
  },
  candidate: {
    id: true,
    round_id: true,
    reference: true,
    first_name: true,
    last_name: true,
    email: true,
    date_of_birth: true,
    bsn_hash: true,
    source_id: true,
    status: true,
    step: true,
    due_on: true,
    overdue: true,
    employer_id: true,
    proposed_employer_id: true,
    jobcoach_id: true,
    left_reason: true,
    left_on: true,
    state: true,
    seq: true,
    created_at: true,
    updated_at: true,
    launch_cohort_id: true,
    trajectory_id: true,
    anonymised_at: true,
  },
  candidate_event: { candidate_id: true, seq: true, type: true, occurred_on: true, data: true },
  employer_readiness: {
    office_id: true,
    employer_id: true,
    crebo: true,
    recognition_number: true,
    recognised_on: true,
    recognition_checked_on: true,
    recognition_checked_by: true,
    mentor_contact_id: true,
    mentor_hours_per_week: true,
    mentor_confirmed_on: true,
    checklist: true,
    places: true,
    updated_by: true,
    updated_at: true,
  },
  readiness_override: {
    id: true,
    office_id: true,
    employer_id: true,
    crebo: true,
    trajectory_id: true,
    reason: true,
    missing: true,
    actor: true,
    at: true,
  },
  outbox_candidate_item: { outbox_id: true, candidate_id: true, kind: true, subject: true },
  candidate_upload: {
    id: true,
    office_id: true,
    round_id: true,
    created_by: true,
    request_id: true,
    entries: true,
    near: true,
    decisions: true,
    added_at: true,
    created_at: true,
  },
  benefit_instrument: {
    trajectory_id: true,
    payer_id: true,
    instrument: true,
    rule_set: true,
    start_date: true,
    decision_date: true,
    adjustment_outcome: true,
    adjustment_confirmed_on: true,
    adjustment_confirmed_by: true,
    updated_at: true,
  },
  benefit_extension: {
    request_id: true,
    trajectory_id: true,
    until: true,
    decided_on: true,
    reference: true,
    recorded_by: true,
    recorded_at: true,
  },
  deadline_reached: {
    trajectory_id: true,
    kind: true,
    on: true,
    organisation_id: true,
    role: true,
    data: true,
    recorded_at: true,
  },
};

async function checkDatabase(db: Db) {
  const first = await migrateToLatest(db);
  // Every migration, in the order of its name (the runner refuses one out of order on an existing database).
  expect(first).toEqual(Object.keys(MIGRATIONS).sort());
  expect(first[0]).toBe('0001_initial');
  expect(await migrateToLatest(db)).toEqual([]);

  const tables = await db.introspection.getTables();
  const actual = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
  for (const [table, columns] of Object.entries(declared)) {
    expect(actual[table], table).toEqual(Object.keys(columns).sort());
  }
  const programme = await db.selectFrom('programme').selectAll().orderBy('version').executeTakeFirstOrThrow();
  expect(programme).toMatchObject({ id: 'welslagen', version: 1 });
  expect(programme.template.weeks).toBe(20);
}

describe('migrations', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('migrate embedded PGlite to the declared schema, idempotently', async () => {
    const pglite = await openPglite();
    const db = connectPglite(pglite);
    cleanups.push(() => db.destroy());
    await checkDatabase(db);
  });

  it('migrate PostgreSQL to the declared schema, idempotently', async () => {
    const database = await createThrowawayDatabase(false);
    const db = connectPostgres(database.url, 2);
    cleanups.push(async () => {
      await db.destroy();
      await database.drop();
    });
    await checkDatabase(db);
  });

  it('0029 gives the days off projected before it their kind, and has running plans read again', async () => {
    const db = connectPglite(await openPglite());
    cleanups.push(() => db.destroy());
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    expect((await migrator.migrateTo('0028_deadline_recipients')).error).toBeUndefined();
    await db
      .insertInto('organisation')
      .values([
        { id: 'roc', name: 'ROC', kind: 'school' },
        { id: 'zorg', name: 'Zorg', kind: 'employer' },
      ] as never)
      .execute();
    await db
      .insertInto('cohort')
      .values({
        id: 'cohort',
        programme_id: 'welslagen',
        programme_version: 1,
        region: 'West-Brabant',
        start_date: '2027-04-05',
        school_id: 'roc',
        status: 'launched',
      } as never)
      .execute();
    await db
      .insertInto('school_closure')
      .values({ id: 'studiedag', school_id: 'roc', from_date: '2027-04-15', to_date: '2027-04-15', name: 'Studiedag' })
      .execute();
    const trajectory = (id: string, status: string) => ({
      id,
      cohort_id: 'cohort',
      reference: id,
      name: 'Deelnemer',
      email: 'deelnemer@example.nl',
      employer_id: 'zorg',
      placement_weekdays: JSON.stringify(['monday', 'tuesday', 'wednesday']),
      school_weekday: 4,
      status,
      end_date: '2027-08-20',
      workflow_id: `trajectory-${id}`,
      plan_seq: 7,
    });
    await db
      .insertInto('trajectory')
      .values([
        trajectory('running', 'active'),
        trajectory('quiet', 'active'),
        trajectory('finished', 'ended'),
      ] as never)
      .execute();
    const day = (date: string, kind: 'placement' | 'school', reason?: string, trajectory_id = 'finished') => ({
      trajectory_id,
      date,
      kind,
      week: 1,
      planned: !reason,
      reason: reason ?? null,
    });
    await db
      .insertInto('planned_day')
      .values([
        day('2027-04-05', 'placement'),
        day('2027-04-12', 'placement', 'pauze'),
        day('2027-04-15', 'school', 'Studiedag'),
        day('2027-04-19', 'placement', 'ziekgemeld'),
        day('2027-04-27', 'placement', 'Koningsdag'),
        day('2027-05-06', 'school', 'Hemelvaartsdag'),
        day('2027-05-10', 'school', 'pauze', 'running'),
        day('2027-05-11', 'placement', 'Koningsdag', 'quiet'),
      ] as never)
      .execute();

    expect(await migrateToLatest(db)).toContain('0029_planned_day_off');
    const days = await db.selectFrom('planned_day').select(['date', 'off']).orderBy('date').execute();
    expect(days).toEqual([
      { date: '2027-04-05', off: null },
      { date: '2027-04-12', off: 'paused' },
      { date: '2027-04-15', off: 'closure' },
      { date: '2027-04-19', off: 'sick_leave' },
      { date: '2027-04-27', off: 'holiday' },
      { date: '2027-05-06', off: 'holiday' },
      { date: '2027-05-10', off: 'paused' },
      { date: '2027-05-11', off: 'holiday' },
    ]);
    // A running trajectory whose words could be a closure's name ("pauze" on a school day) has its plan read again
    // from its workflow (infra/plan-backfill.ts), which knows each day's kind; one whose guesses are certain does not.
    const plans = await db.selectFrom('trajectory').select(['id', 'plan_seq']).orderBy('id').execute();
    expect(plans).toEqual([
      { id: 'finished', plan_seq: 7 },
      { id: 'quiet', plan_seq: 7 },
      { id: 'running', plan_seq: 0 },
    ]);
  });
});
