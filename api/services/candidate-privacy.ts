// A candidate's rights (AVG articles 15 and 17): everything held, and erasure. A candidate still in the round needs
// its data for the next step: the coordinator records that it leaves (with the reason) first, as for a trajectory.
import { anonymiseCandidate, personalDataOfCandidate } from '../../db/candidate-privacy';
import { insertAuditEvents } from '../../db/audit';
import { candidatesByReference, findCandidate } from '../../db/recruitment';
import type { Principal } from '../auth';
import { actingOffice } from '../ownership';
import { conflict, notFound, says } from '../errors';
import type { CandidateDataExport, CandidateErasure } from '../schemas/candidate-privacy';
import type { AppDeps } from '../deps';
import { refuseWhileHeld } from './legal-holds';

type Deps = Pick<AppDeps, 'db' | 'now'>;
const json = <T extends object>(row: T) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>;

export async function exportCandidate(deps: Deps, id: string): Promise<CandidateDataExport> {
  const data = await personalDataOfCandidate(deps.db, id);
  if (!data) throw notFound(says(`Candidate ${id}`, `Kandidaat ${id}`));
  // The hash is no information to the candidate; say only whether a BSN was given.
  const { bsn_hash, ...candidate } = data.candidate;
  return {
    exportedAt: new Date().toISOString(),
    candidate: { ...json(candidate), bsn: bsn_hash ? 'held as a keyed hash only, to find duplicates' : null },
    events: data.events.map(json),
    audit: data.audit.map(json),
  };
}

export async function eraseCandidate(
  deps: Deps,
  id: string,
  audit: Parameters<typeof anonymiseCandidate>[2],
): Promise<CandidateErasure> {
  const c = await findCandidate(deps.db, id);
  if (!c) throw notFound(says(`Candidate ${id}`, `Kandidaat ${id}`));
  if (!c.anonymised_at) {
    await refuseWhileHeld(deps, 'candidate', id);
    if (c.status === 'in_progress')
      throw conflict(
        says(
          'This candidate is still in the round and its process needs the data; record that it leaves, then erase',
          'Deze kandidaat doet nog mee en het proces heeft de gegevens nodig; leg eerst vast dat de kandidaat ' +
            'stopt en wis daarna',
        ),
      );
    await anonymiseCandidate(deps.db, id, audit);
  }
  const after = (await findCandidate(deps.db, id))!;
  return { candidateId: id, anonymisedAt: after.anonymised_at!.toISOString() };
}

/** A candidate's row, for the privacy pages (the route's resource check found it). */
export const candidateRow = (deps: Pick<Deps, 'db'>, id: string) => findCandidate(deps.db, id);

/**
 * The caller's office's candidates whose reference starts with `reference`, each read audited by candidate (the
 * names are shown); `audit` says who read them (auditBy).
 */
export async function findCandidatesByReference(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  reference: string,
  audit: Omit<Parameters<typeof insertAuditEvents>[1][number], 'resource' | 'resource_id'>,
) {
  const office = principal.role === 'admin' ? null : (actingOffice(principal) ?? '');
  const found = await candidatesByReference(deps.db, reference, office);
  if (found.length)
    await insertAuditEvents(
      deps.db,
      found.map((c) => ({
        ...audit,
        resource: 'candidate',
        resource_id: c.id,
        trajectory_id: null,
        office_id: c.office_id,
      })),
    );
  return found;
}
