// The classification of personal data (domain/personal-data.ts) covers the database, and anonymisation follows it:
// every text, varchar and json(b) column of a freshly migrated database is either classified or listed as holding
// nothing personal (a new column fails here, by name, until someone decides); and anonymising a participant and a
// candidate erases every column the map says goes with them, in rows seeded with a marker in each.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Db } from '../db/connection';
import { anonymiseCandidate } from '../db/candidate-privacy';
import { insertOrganisation } from '../db/organisations';
import { anonymiseTrajectory } from '../db/privacy';
import { erasedColumns, NOT_PERSONAL, PERSONAL_COLUMNS, type Subject } from '../domain/personal-data';
import { shortTemplate, thisMonday } from './helpers/fixtures';
import { createThrowawayDatabase } from './helpers/postgres';
import { seedTrajectory } from './helpers/seed';

let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let db: Db;

beforeAll(async () => {
  database = await createThrowawayDatabase();
  db = connectPostgres(database.url, 2);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const personal = PERSONAL_COLUMNS as Readonly<Record<string, Readonly<Record<string, unknown>>>>;

describe('the classification of personal data', () => {
  it('classifies every text column of the database, or lists it as not personal', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb')
      order by table_name, column_name`.execute(db);
    expect(rows.length).toBeGreaterThan(100);
    const unclassified = rows
      .filter((r) => !personal[r.table_name]?.[r.column_name] && !NOT_PERSONAL[r.table_name]?.includes(r.column_name))
      .map((r) => `${r.table_name}.${r.column_name}`);
    expect(unclassified, 'classify these in domain/personal-data.ts').toEqual([]);
    // And nothing classified twice, or classified that is not there (a renamed column would be "classified" still).
    const { rows: all } = await sql<{ c: string }>`select table_name || '.' || column_name as c
      from information_schema.columns where table_schema = 'public'`.execute(db);
    const existing = new Set(all.map((r) => r.c));
    const listed = [
      ...Object.entries(personal).flatMap(([t, cs]) => Object.keys(cs).map((c) => `${t}.${c}`)),
      ...Object.entries(NOT_PERSONAL).flatMap(([t, cs]) => cs.map((c) => `${t}.${c}`)),
    ];
    expect(listed.filter((c) => !existing.has(c))).toEqual([]);
    expect(listed.filter((c, i) => listed.indexOf(c) !== i)).toEqual([]);
  });
});

const MARK = 'Geheimpje';

/** Every column anonymisation of `subject` erases, with the number of rows whose value holds the marker. */
async function marked(subject: Subject) {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(personal))
    for (const [column] of erasedColumns(subject, table)) {
      const { rows: type } = await sql<{ t: string }>`select data_type as t from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and column_name = ${column}`.execute(db);
      // A date (of birth) cannot hold the marker: any value is the person's.
      const held = ['text', 'character varying', 'json', 'jsonb'].includes(type[0]!.t)
        ? sql`${sql.ref(column)}::text ilike ${'%' + MARK + '%'}`
        : sql`${sql.ref(column)} is not null`;
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
        where ${held}`.execute(db);
      counts[`${table}.${column}`] = rows[0]!.n;
    }
  return counts;
}

const audit = { action: 'anonymise', actor: 'test', role: 'admin', route: 'test', request_id: 'test' } as const;

describe('anonymisation', () => {
  it('erases every column classified as going with the participant', async () => {
    const t = await seedTrajectory(db, thisMonday(), shortTemplate(), {
      name: `${MARK} Jansen`,
      email: `${MARK.toLowerCase()}@example.nl`,
    });
    const id = t.trajectoryId;
    const office = `office-${randomUUID()}`;
    await insertOrganisation(db, { id: office, name: 'Bureau', kind: 'programme_office' });
    await sql`update trajectory set reference = ${MARK + '-1'}, bsn_hash = ${MARK},
      outcome = ${JSON.stringify({ kind: 'no_doorstroom', reason: MARK })}::jsonb where id = ${id}`.execute(db);
    const ended = { outcome: { kind: 'no_doorstroom', reason: MARK } };
    await sql`insert into trajectory_event (trajectory_id, seq, type, occurred_on, data) values
      (${id}, 1, 'checkpoint_recorded', current_date, ${JSON.stringify({ key: 'w4', note: MARK })}),
      (${id}, 2, 'ended', current_date, ${JSON.stringify(ended)})`.execute(db);
    await sql`insert into attendance (trajectory_id, date, kind, present, recorded_on, seq, correction_reason)
      values (${id}, current_date, 'placement', true, current_date, 1, ${MARK})`.execute(db);
    await sql`insert into checkpoint_review (trajectory_id, key, note, recorded_on, seq, status, trainer_confirmed)
      values (${id}, 'w4', ${MARK}, current_date, 1, 'on_track', false)`.execute(db);
    await sql`insert into work_process_evidence (trajectory_id, code, employer_id, note, assessor, recorded_by,
      shown_on) values (${id}, 'B1-K1-W1', ${t.employerId}, ${MARK}, 'Praktijkopleider', 'test', current_date)`.execute(
      db,
    );
    await sql`insert into readiness_override (trajectory_id, employer_id, office_id, crebo, missing, reason, actor)
      values (${id}, ${t.employerId}, ${office}, '25491', '[]', ${MARK}, 'test')`.execute(db);
    await sql`insert into benefit_extension (request_id, trajectory_id, until, decided_on, reference, recorded_by)
      values (${randomUUID()}, ${id}, current_date, current_date, ${MARK}, 'test')`.execute(db);
    await sql`insert into legal_hold (id, office_id, subject, subject_id, reason, lift_reason, until, placed_by,
      request_id) values (${randomUUID()}, ${office}, 'trajectory', ${id}, ${MARK}, ${MARK}, current_date - 1, 'test',
      'x')`.execute(db);
    const mail = randomUUID();
    await sql`insert into outbox (id, key, kind, organisation_id, day, recipient, recipient_name, subject, text, html,
      status) values (${mail}, ${mail}, 'digest', ${t.employerId}, current_date, 'a@example.nl', 'A', 'Taken',
      ${MARK}, ${MARK}, 'sent')`.execute(db);
    await sql`insert into outbox_item (outbox_id, trajectory_id, kind, subject)
      values (${mail}, ${id}, 'k', 's')`.execute(db);

    const before = await marked('trajectory');
    expect(
      Object.entries(before).filter(([, n]) => n === 0),
      'seed a marked row for each',
    ).toEqual([]);
    expect(await anonymiseTrajectory(db, id, audit)).toBe(true);
    expect(Object.entries(await marked('trajectory')).filter(([, n]) => n > 0)).toEqual([]);
    // The facts stay: the outcome's kind, the evidence's work process, the checkpoint's status.
    const row = await db.selectFrom('trajectory').select(['outcome', 'name']).where('id', '=', id).executeTakeFirst();
    expect(row).toMatchObject({ outcome: { kind: 'no_doorstroom', reason: '' }, name: 'Geanonimiseerd' });
    expect(await anonymiseTrajectory(db, id, audit)).toBe(false);
  });

  it('erases every column classified as going with the candidate', async () => {
    const office = `office-${randomUUID()}`;
    await insertOrganisation(db, { id: office, name: 'Bureau', kind: 'programme_office' });
    const round = randomUUID();
    const id = randomUUID();
    const reference = `${MARK}-2`;
    await sql`insert into recruitment_round (id, office_id, programme_id, name, region, draaiboek)
      values (${round}, ${office}, 'welslagen', 'Ronde', 'West-Brabant', '{}')`.execute(db);
    const state = {
      status: 'in_progress',
      history: [{ step: 'intake', outcome: 'geschikt', on: '2026-11-02', note: MARK }],
      proposal: { employerId: 'zorg', on: '2026-11-03', note: MARK },
    };
    await sql`insert into candidate (id, round_id, reference, first_name, last_name, email, date_of_birth, bsn_hash,
      step, due_on, state) values (${id}, ${round}, ${reference}, ${MARK}, ${MARK}, ${MARK + '@example.nl'},
      '2000-01-01', ${MARK}, 'intake', current_date, ${JSON.stringify(state)})`.execute(db);
    await sql`insert into candidate_event (candidate_id, seq, type, occurred_on, data) values
      (${id}, 1, 'step_recorded', current_date, ${JSON.stringify({ step: 'intake', note: MARK })}),
      (${id}, 2, 'left', current_date, ${JSON.stringify({ reason: 'other', note: MARK })}),
      (${id}, 3, 'proposed', current_date, ${JSON.stringify({ employerId: 'zorg', note: MARK })})`.execute(db);
    const near = [{ row: 0, other: { kind: 'round', reference } }];
    await sql`insert into candidate_upload (id, office_id, round_id, created_by, request_id, entries, near, decisions)
      values (${randomUUID()}, ${office}, ${round}, 'test', ${randomUUID()}, ${JSON.stringify([{ name: MARK }])},
      ${JSON.stringify(near)}, ${JSON.stringify([MARK])})`.execute(db);
    await sql`insert into legal_hold (id, office_id, subject, subject_id, reason, lift_reason, until, placed_by,
      request_id) values (${randomUUID()}, ${office}, 'candidate', ${id}, ${MARK}, ${MARK}, current_date - 1, 'test',
      'y')`.execute(db);
    const mail = randomUUID();
    await sql`insert into outbox (id, key, kind, organisation_id, day, recipient, recipient_name, subject, text, html,
      status) values (${mail}, ${mail}, 'digest', ${office}, current_date, 'a@example.nl', 'A', 'Taken',
      ${MARK}, ${MARK}, 'sent')`.execute(db);
    await sql`insert into outbox_candidate_item (outbox_id, candidate_id, kind, subject)
      values (${mail}, ${id}, 'k', 's')`.execute(db);

    const before = await marked('candidate');
    expect(
      Object.entries(before).filter(([, n]) => n === 0),
      'seed a marked row for each',
    ).toEqual([]);
    expect(await anonymiseCandidate(db, id, audit)).toBe(true);
    expect(Object.entries(await marked('candidate')).filter(([, n]) => n > 0)).toEqual([]);
    // The funnel's facts stay: each step's outcome and date, the proposed employer.
    const row = await db.selectFrom('candidate').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toMatchObject({
      history: [{ step: 'intake', outcome: 'geschikt', on: '2026-11-02' }],
      proposal: { employerId: 'zorg', on: '2026-11-03' },
    });
    expect(await anonymiseCandidate(db, id, audit)).toBe(false);
  });
});
