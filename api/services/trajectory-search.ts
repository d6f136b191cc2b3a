// Finding a participant's trajectory by its reference, for the programme office's pages (the AVG requests, the
// audit log's filter): a coordinator finds only its own office's trajectories, the admin every office's.
import { trajectoriesByReference } from '../../db/trajectories';
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
  return trajectoriesByReference(deps.db, reference, actingOffice(principal), o);
}
