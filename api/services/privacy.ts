// The participant's rights: an export of everything held (AVG art. 15) and erasure (art. 17).
import { anonymiseTrajectory, personalDataOf } from '../../db/privacy';
import { findTrajectory } from '../../db/trajectories';
import { stopDeadlines, stopFollowUp } from '../../activities/retention';
import { conflict, notFound, says } from '../errors';
import type { Erasure, PersonalDataExport } from '../schemas/trajectory';
import type { AppDeps } from '../deps';
import { temporalCall } from '../temporal-calls';
import { refuseWhileHeld } from './legal-holds';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'now'>;

const json = <T extends object>(row: T) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>;

export async function exportTrajectory(deps: Deps, id: string): Promise<PersonalDataExport> {
  const data = await personalDataOf(deps.db, id);
  if (!data) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  // The hash is no information to the participant; say only whether a BSN was given.
  const { bsn_hash, ...trajectory } = data.trajectory;
  return {
    exportedAt: new Date().toISOString(),
    trajectory: {
      ...json(trajectory),
      bsn: bsn_hash ? 'held as a keyed hash only, to match with the benefit payer' : null,
    },
    events: data.events.map(json),
    attendance: data.attendance.map(json),
    checkpoints: data.checkpoints.map(json),
    placements: data.placements.map(json),
    followUps: data.followUps.map(json),
    workProcesses: data.workProcesses.map(json),
    praktijkverklaring: data.praktijkverklaring && json(data.praktijkverklaring),
    praktijkovereenkomst: data.praktijkovereenkomst && json(data.praktijkovereenkomst),
    audit: data.audit.map(json),
  };
}

/**
 * Anonymises a finished trajectory. A running one still needs its data: the coordinator ends it first; one under a
 * legal hold is refused with the hold's reason and end date.
 */
export async function eraseTrajectory(
  deps: Deps,
  id: string,
  audit: Parameters<typeof anonymiseTrajectory>[2],
): Promise<Erasure> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  if (!t.anonymised_at) {
    // A legal hold keeps the data until its end date: the request is answered with its reason (409).
    await refuseWhileHeld(deps, 'trajectory', id);
    const { status } = await temporalCall(deps, (c) => c.workflow.getHandle(t.workflow_id).describe()).catch(
      (e: Error) => {
        if (e.name === 'WorkflowNotFoundError') return { status: { name: 'GONE' } };
        throw e;
      },
    );
    if (status.name === 'RUNNING')
      throw conflict(
        says(
          'This trajectory is still running and needs its data; end it first (a dropout with reason), then erase',
          'Dit traject loopt nog en heeft zijn gegevens nodig; beëindig het eerst (een uitstroom met reden) en ' +
            'wis daarna',
        ),
      );
    // The follow-up after doorstroom would go on asking about the participant: it stops first, so it
    // cannot write about the participant after the anonymisation closed its open questions.
    await temporalCall(deps, (c) => stopFollowUp(c, id, 'the participant asked for erasure'));
    await temporalCall(deps, (c) => stopDeadlines(c, id, 'the participant asked for erasure'));
    await anonymiseTrajectory(deps.db, id, audit);
  }
  const after = (await findTrajectory(deps.db, id))!;
  return { trajectoryId: id, anonymisedAt: after.anonymised_at!.toISOString() };
}

/** A trajectory's row, for the privacy pages (the route's resource check found it). */
export const trajectoryRow = (deps: Pick<Deps, 'db'>, id: string) => findTrajectory(deps.db, id);
