// An employer's or ROC's participants with their next days: who is placed here (an ROC: its running
// students) by the same rule as everything the organisation sees (organisationParticipants, access.ts), and the
// planned days of the organisation's own kind from today on, from the projection's rows.
import { findTrajectory } from '../../db/trajectories';
import { weekDays } from '../../db/week-days';
import { addDays } from '../../domain/calendar';
import { mapLimit } from '../../infra/map-limit';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { actingOffice } from '../ownership';
import { organisationParticipants, requireOrganisation } from './partner-recording';
import { today } from './trajectories';

export interface ParticipantDays {
  organisation: { id: string; name: string; kind: 'employer' | 'school' };
  today: string;
  participants: { trajectoryId: string; firstName: string; reference: string; nextDays: string[] }[];
}

/** The organisation's participants, by reference, each with its planned days in the next `days` days. */
export async function participantDays(
  deps: AppDeps,
  principal: Principal,
  orgId: string,
  o: { days?: number; perParticipant?: number } = {},
): Promise<ParticipantDays> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const now = today(deps);
  const mine = await organisationParticipants(
    deps,
    { id: orgId, kind: org.kind, officeId: actingOffice(principal) },
    now,
  );
  const rows = await weekDays(
    deps.db,
    mine.map((p) => p.id),
    org.kind === 'school' ? 'school' : 'placement',
    now,
    addDays(now, o.days ?? 28),
  );
  const next = new Map<string, string[]>();
  const owns = new Map(mine.map((p) => [p.id, p.owns]));
  for (const r of rows)
    if (r.planned && owns.get(r.trajectory_id)?.(r.date))
      next.set(r.trajectory_id, [...(next.get(r.trajectory_id) ?? []), r.date]);
  const participants = await mapLimit(mine, 10, async (p) => {
    const t = await findTrajectory(deps.db, p.id);
    return {
      trajectoryId: p.id,
      firstName: t?.name.trim().split(/\s+/)[0] ?? '',
      reference: p.reference,
      nextDays: (next.get(p.id) ?? []).slice(0, o.perParticipant ?? 5),
    };
  });
  return {
    organisation: { id: org.id, name: org.name, kind: org.kind },
    today: now,
    participants: participants.sort((a, b) => a.reference.localeCompare(b.reference)),
  };
}
