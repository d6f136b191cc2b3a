// A participant's benefit instrument, the payer's extension decisions, and a payer's provisions for a month.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import type { BenefitExtensionTable, BenefitInstrumentRow, BenefitInstrumentTable } from './schema';

export interface BenefitRecord extends BenefitInstrumentRow {
  extensions: { until: string; decided_on: string; reference: string | null }[];
}

export async function findBenefit(db: Db, trajectoryId: string): Promise<BenefitRecord | undefined> {
  const row = await db
    .selectFrom('benefit_instrument')
    .selectAll()
    .where('trajectory_id', '=', trajectoryId)
    .executeTakeFirst();
  if (!row) return undefined;
  const extensions = await db
    .selectFrom('benefit_extension')
    .select(['until', 'decided_on', 'reference'])
    .where('trajectory_id', '=', trajectoryId)
    .orderBy('recorded_at')
    .orderBy('request_id')
    .execute();
  return { ...row, extensions };
}

/** Sets the instrument; the payer's confirmation of a BBL adjustment and the extension decisions stay. */
export async function upsertBenefit(db: Db, row: Insertable<BenefitInstrumentTable>): Promise<void> {
  await db
    .insertInto('benefit_instrument')
    .values(row)
    .onConflict((oc) =>
      oc.column('trajectory_id').doUpdateSet({
        instrument: row.instrument,
        rule_set: row.rule_set,
        start_date: row.start_date,
        decision_date: row.decision_date,
        payer_id: row.payer_id,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** Records a decision once: a repeat of the same request is a no-op. */
export async function insertExtension(db: Db, row: Insertable<BenefitExtensionTable>): Promise<void> {
  await db
    .insertInto('benefit_extension')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

export async function confirmAdjustment(
  db: Db,
  trajectoryId: string,
  a: { outcome: 'adjusted' | 'ended'; date: string; by: string },
): Promise<void> {
  await db
    .updateTable('benefit_instrument')
    .set({
      adjustment_outcome: a.outcome,
      adjustment_confirmed_on: a.date,
      adjustment_confirmed_by: a.by,
      updated_at: new Date(),
    })
    .where('trajectory_id', '=', trajectoryId)
    .execute();
}

/** A payer's instruments with the trajectory's reference, planned end and status, started on or before `to`. */
export function listPayerBenefits(db: Db, payerId: string, to: string) {
  return db
    .selectFrom('benefit_instrument as b')
    .innerJoin('trajectory as t', 't.id', 'b.trajectory_id')
    .select([
      'b.trajectory_id',
      'b.instrument',
      'b.rule_set',
      'b.start_date',
      'b.decision_date',
      't.reference',
      't.end_date',
      't.status',
      't.outcome',
    ])
    .where('b.payer_id', '=', payerId)
    .where('t.benefit_payer_id', '=', payerId)
    .where('b.start_date', '<=', to)
    .orderBy('t.reference')
    .execute();
}

/** Every extension decision of a payer's instruments, for the provisions' maxima. */
export function listPayerExtensions(db: Db, payerId: string) {
  return db
    .selectFrom('benefit_extension as x')
    .innerJoin('benefit_instrument as b', 'b.trajectory_id', 'x.trajectory_id')
    .select(['x.trajectory_id', 'x.until', 'x.decided_on', 'x.reference'])
    .where('b.payer_id', '=', payerId)
    .execute();
}

/**
 * What the payer's deadlines of one trajectory are computed from (domain/benefit.ts benefitMaximumDeadline and
 * benefitAdjustmentDeadline): its instrument, status, planned end, the BBL contract start; none when anonymised.
 */
export function benefitDeadlineFacts(db: Db, trajectoryId: string) {
  const contractStart = sql<string | null>`(select max(e.data->>'contractStartDate') from trajectory_event e
    where e.trajectory_id = t.id and e.type = 'bbl_confirmed')`;
  return db
    .selectFrom('benefit_instrument as b')
    .innerJoin('trajectory as t', 't.id', 'b.trajectory_id')
    .select([
      'b.trajectory_id',
      'b.payer_id',
      'b.instrument',
      'b.rule_set',
      'b.start_date',
      'b.decision_date',
      'b.adjustment_confirmed_on',
      't.status',
      't.end_date',
    ])
    .select(contractStart.as('contract_start'))
    .where('t.anonymised_at', 'is', null)
    .where('b.trajectory_id', '=', trajectoryId)
    .executeTakeFirst();
}

export function listExtensionsOf(db: Db, trajectoryIds: string[]) {
  if (trajectoryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('benefit_extension')
    .select(['trajectory_id', 'until', 'decided_on'])
    .where('trajectory_id', 'in', trajectoryIds)
    .execute();
}
