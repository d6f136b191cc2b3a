import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from './connection';
import type { Database } from './schema';

export interface OutcomeFilter {
  benefitPayerId?: string;
  programmeOfficeId?: string;
  cohortId?: string;
  bsnHash?: string;
  limit: number;
  offset: number;
}

/** Per-participant outcomes, by pseudonymous reference, within what the caller may see. */
export async function listParticipantOutcomes(db: Db, q: OutcomeFilter) {
  let base = db.selectFrom('trajectory as t');
  if (q.benefitPayerId !== undefined) base = base.where('t.benefit_payer_id', '=', q.benefitPayerId);
  if (q.programmeOfficeId !== undefined) {
    base = base.where(
      't.cohort_id',
      'in',
      db
        .selectFrom('cohort as c')
        .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
        .select('c.id')
        .where('v.programme_office_id', '=', q.programmeOfficeId),
    );
  }
  if (q.cohortId !== undefined) base = base.where('t.cohort_id', '=', q.cohortId);
  if (q.bsnHash !== undefined) base = base.where('t.bsn_hash', '=', q.bsnHash);
  const [items, count] = await Promise.all([
    base
      .select(['t.id', 't.reference', 't.cohort_id', 't.benefit_payer_id', 't.status', 't.end_date', 't.outcome'])
      .orderBy('t.cohort_id')
      .orderBy('t.reference')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export interface FigureFilter {
  programmeOfficeId?: string;
  programmeId?: string;
  region?: string;
  cohortId?: string;
  from?: string;
  to?: string;
}

/** The filter as conditions on the cohort (c): every filter of the figures is a property of the cohort. */
function cohortFilter(eb: ExpressionBuilder<Database & { c: Database['cohort'] }, 'c'>, f: FigureFilter) {
  const and = [];
  if (f.programmeOfficeId !== undefined)
    and.push(
      eb(
        'c.covenant_id',
        'in',
        eb.selectFrom('covenant').select('id').where('programme_office_id', '=', f.programmeOfficeId),
      ),
    );
  if (f.programmeId) and.push(eb('c.programme_id', '=', f.programmeId));
  if (f.region) and.push(eb('c.region', '=', f.region));
  if (f.cohortId) and.push(eb('c.id', '=', f.cohortId));
  if (f.from) and.push(eb('c.start_date', '>=', f.from));
  if (f.to) and.push(eb('c.start_date', '<=', f.to));
  return eb.and(and);
}

/** Trajectories (t) with their cohort (c) within a filter: what the funders' figures and the steering view count. */
export function figureScope(db: Db, f: FigureFilter) {
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .where((eb) => cohortFilter(eb, f));
}

/** The cohorts within a filter (see figureScope). */
function cohortScope(db: Db, f: FigureFilter) {
  return db
    .selectFrom('cohort as c')
    .select('c.id')
    .where((eb) => cohortFilter(eb, f));
}

type Count = number | string;
const FOLLOW_UP_ANSWERS = [
  'employed_yes',
  'employed_no',
  'employed_none',
  'employed_open',
  'enrolment_asked',
  'enrolled_yes',
  'enrolled_no',
  'enrolled_none',
  'enrolled_open',
] as const;
type FollowUpCounts = { months: number; asked: Count } & Record<(typeof FOLLOW_UP_ANSWERS)[number], Count>;

/** The cells of the groups of cohorts (covenant, programme, region, start date) within a filter without a cohort. */
function groupCells(db: Db, f: FigureFilter) {
  const where = [sql`true`];
  if (f.programmeOfficeId !== undefined)
    where.push(
      sql`covenant_id in
      (${db.selectFrom('covenant').select('id').where('programme_office_id', '=', f.programmeOfficeId)})`,
    );
  if (f.programmeId) where.push(sql`programme_id = ${f.programmeId}`);
  if (f.region) where.push(sql`region = ${f.region}`);
  if (f.from) where.push(sql`start_date >= ${f.from}`);
  if (f.to) where.push(sql`start_date <= ${f.to}`);
  return sql`select figure, a, b, n from outcome_group_cell where ${sql.join(where, sql` and `)}`;
}

/**
 * The raw counts behind the funders' figures; suppression is the API's job. Every figure is a sum of the
 * cells the database keeps in step with the projected rows (migration 0011_outcome_cells): per group of
 * cohorts sharing covenant, programme, region and start date, or, filtered by cohort, per cohort. One
 * statement reads a few rows per group instead of every trajectory, checkpoint review and follow-up; the
 * counts are the same as counting those rows (trajectories by status and outcome kind, dropouts by reason
 * and week, the attendance sums the projection keeps per trajectory, checkpoint reviews by key and status,
 * follow-ups by month and answer).
 */
export async function outcomeCounts(db: Db, f: FigureFilter) {
  const cells = f.cohortId
    ? sql`select figure, a, b, n from outcome_cell where cohort_id in (${cohortScope(db, f)})`
    : groupCells(db, f);
  const { rows } = await sql<{ figure: string; a: string | null; b: string | null; n: string }>`
    select figure, a, b, sum(n) as n from (${cells}) c group by figure, a, b having sum(n) <> 0`.execute(db);
  const statuses: { status: string; kind: string | null; n: Count }[] = [];
  const dropouts: { reason: string; week: number; n: Count }[] = [];
  const attendance: { days: Count; attended: Count; participants: Count } = { days: 0, attended: 0, participants: 0 };
  const checkpoints: { key: string; status: string; n: Count }[] = [];
  const byMonth = new Map<number, FollowUpCounts>();
  for (const r of rows) {
    if (r.figure === 'status') statuses.push({ status: r.a!, kind: r.b, n: r.n });
    else if (r.figure === 'dropout')
      dropouts.push({ reason: r.a!, week: r.b === null ? (null as unknown as number) : Number(r.b), n: r.n });
    else if (r.figure === 'attendance') attendance[r.a as keyof typeof attendance] = r.n;
    else if (r.figure === 'checkpoint') checkpoints.push({ key: r.a!, status: r.b!, n: r.n });
    else if (r.figure === 'follow_up') {
      const months = Number(r.a);
      const m =
        byMonth.get(months) ??
        byMonth
          .set(months, {
            months,
            asked: 0,
            ...Object.fromEntries(FOLLOW_UP_ANSWERS.map((k) => [k, 0])),
          } as FollowUpCounts)
          .get(months)!;
      m[r.b as 'asked'] = r.n;
    }
  }
  const followUps = [...byMonth.values()].sort((x, y) => x.months - y.months);
  return { statuses, dropouts, attendance, checkpoints, followUps };
}
