// The praktijkovereenkomst's records (migration 0025): each step's date and who recorded it, the facts a POK is
// judged by (the BBL contract start from the employer's confirmation, the employer the participant goes on with),
// the open POKs of an office or ROC, and the count the outcome figures split doorstroom by. The rules are in
// domain/praktijkovereenkomst.ts.
import { sql } from 'kysely';
import type { Db } from './connection';
import { figureScope, type FigureFilter } from './outcomes';
import type { PokRecord, PokStep } from '../domain/praktijkovereenkomst';
import type { PraktijkovereenkomstTable } from './schema';

/** The BBL contract start the employer confirmed (the `bbl_confirmed` event with a contractStartDate). */
const contractStart = sql<string | null>`(select max(e.data->>'contractStartDate') from trajectory_event e
  where e.trajectory_id = t.id and e.type = 'bbl_confirmed')`;
/** The employer the participant goes on with: the last placement, also when it starts after today. */
const lastEmployer = sql<string>`coalesce((select p.employer_id from placement p where p.trajectory_id = t.id
  order by p.from_date desc limit 1), t.employer_id)`;

/** The day the last employer change was recorded: a bpv-blad is needed from then (or from the employer's signing). */
const employerChangedOn = sql<string | null>`(select max(e.occurred_on)::text from trajectory_event e
  where e.trajectory_id = t.id and e.type = 'employer_changed')`;

/** A trajectory with what its POK is judged by, and the POK as recorded (left joined: null columns when none). */
function pokRows(db: Db) {
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('programme as g', (j) =>
      j.onRef('g.id', '=', 'c.programme_id').onRef('g.version', '=', 'c.programme_version'),
    )
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .leftJoin('praktijkovereenkomst as k', 'k.trajectory_id', 't.id')
    .leftJoin('organisation as s', 's.id', 'c.school_id')
    .select([
      't.id',
      't.reference',
      't.name',
      't.status',
      't.outcome',
      't.anonymised_at',
      'c.school_id',
      's.name as school_name',
      'v.programme_office_id',
      'g.template',
      'k.drawn_up_on',
      'k.drawn_up_by',
      'k.participant_on',
      'k.participant_by',
      'k.employer_on',
      'k.employer_by',
      'k.employer_id as signed_employer_id',
      'k.school_on',
      'k.school_by',
      'k.bpv_blad_on',
      'k.bpv_blad_by',
      'k.bpv_blad_employer_id',
    ])
    .select([
      contractStart.as('contract_start'),
      lastEmployer.as('current_employer_id'),
      employerChangedOn.as('employer_changed_on'),
    ]);
}
export type PokRow = Awaited<ReturnType<typeof findPokFacts>> & object;

export function findPokFacts(db: Db, trajectoryId: string) {
  return pokRows(db).where('t.id', '=', trajectoryId).executeTakeFirst();
}

/** The record as the domain reads it. */
export const pokRecordOf = (r: NonNullable<PokRow>): PokRecord => ({
  drawnUpOn: r.drawn_up_on,
  participantOn: r.participant_on,
  employerOn: r.employer_on,
  employerId: r.signed_employer_id,
  schoolOn: r.school_on,
  bpvBladOn: r.bpv_blad_on,
  bpvBladEmployerId: r.bpv_blad_employer_id,
});

/**
 * Every trajectory entering BBL (a BBL contract start confirmed, not ended otherwise) with its POK: of one office, one
 * ROC, or (neither) all, for the open list and the morning mail. Anonymised ones are left out.
 */
export function listBblPoks(db: Db, o: { officeId?: string | null; schoolId?: string }) {
  let q = pokRows(db)
    .where('t.anonymised_at', 'is', null)
    .where(contractStart, 'is not', null)
    .where((eb) => eb.or([eb('t.outcome', 'is', null), eb(sql`t.outcome->>'kind'`, '=', 'bbl_doorstroom')]));
  if (o.officeId) q = q.where('v.programme_office_id', '=', o.officeId);
  if (o.schoolId) q = q.where('c.school_id', '=', o.schoolId);
  return q.orderBy('t.id').execute();
}

const COLUMNS: Record<PokStep, { on: keyof PraktijkovereenkomstTable; by: keyof PraktijkovereenkomstTable }> = {
  drawn_up: { on: 'drawn_up_on', by: 'drawn_up_by' },
  participant: { on: 'participant_on', by: 'participant_by' },
  employer: { on: 'employer_on', by: 'employer_by' },
  school: { on: 'school_on', by: 'school_by' },
  bpv_blad: { on: 'bpv_blad_on', by: 'bpv_blad_by' },
};

/**
 * Records a step: its date and who recorded it (the employer for a signature or a bpv-blad). A signature is kept
 * once: false when that step was recorded before (by a request that raced this one); a bpv-blad replaces the last.
 */
export async function recordPokStep(
  db: Db,
  s: { trajectoryId: string; step: PokStep; on: string; by: string; employerId?: string },
): Promise<boolean> {
  const { on, by } = COLUMNS[s.step];
  const employer =
    s.step === 'employer'
      ? { employer_id: s.employerId ?? null }
      : s.step === 'bpv_blad'
        ? { bpv_blad_employer_id: s.employerId ?? null }
        : {};
  const values = { [on]: s.on, [by]: s.by, ...employer, updated_at: new Date() };
  const done = await db
    .insertInto('praktijkovereenkomst')
    .values({ trajectory_id: s.trajectoryId, ...values })
    .onConflict((oc) => {
      const update = oc.column('trajectory_id').doUpdateSet(values);
      return s.step === 'bpv_blad' ? update : update.where(`praktijkovereenkomst.${on}` as 'drawn_up_on', 'is', null);
    })
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * BBL doorstroom within a figure filter, and how many of those have a valid POK: signed by the participant, the
 * employer and the ROC, and covering the employer the participant went on with (no bpv-blad missing). The same
 * rule as pokStanding's `valid`, in SQL.
 */
export async function doorstroomPokCounts(db: Db, f: FigureFilter) {
  const row = await figureScope(db, f)
    .leftJoin('praktijkovereenkomst as k', 'k.trajectory_id', 't.id')
    .select([
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string>`count(*) filter (where k.participant_on is not null and k.employer_on is not null
        and k.school_on is not null and coalesce(k.bpv_blad_employer_id, k.employer_id) = ${lastEmployer})`.as('valid'),
    ])
    .where(sql`t.outcome->>'kind'`, '=', 'bbl_doorstroom')
    .executeTakeFirstOrThrow();
  return { total: Number(row.n), valid: Number(row.valid) };
}
