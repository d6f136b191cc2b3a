// Finding a participant's trajectory by its reference, for the programme office's pages (the AVG requests, the
// audit log's filter): a coordinator finds only its own office's trajectories, the admin every office's.
import { sql } from 'kysely';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { actingOffice } from '../ownership';

/** The trajectories whose reference is `reference` (or begins with it, `prefix`), at most `limit`. */
export async function findTrajectoriesByReference(
  deps: Pick<AppDeps, 'db'>,
  principal: Principal,
  reference: string,
  o: { prefix?: boolean; limit?: number } = {},
) {
  const office = actingOffice(principal);
  let base = deps.db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.reference', 't.name', 't.status', 't.anonymised_at']);
  if (office !== null) base = base.where('v.programme_office_id', '=', office);
  const escaped = reference.replace(/[\\%_]/g, (c) => `\\${c}`);
  base = o.prefix
    ? base.where('t.reference', 'ilike', `${escaped}%`)
    : base.where(sql<boolean>`lower(t.reference) = lower(${reference})`);
  return base
    .orderBy('t.reference')
    .orderBy('t.id')
    .limit(o.limit ?? 20)
    .execute();
}
