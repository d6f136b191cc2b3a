// Legal holds over HTTP: the coordinator places one on a trajectory or candidate (reason, end date), lifts it early,
// and every erasure asks here first. Retention leaves held records out in its own query (db/legal-holds.ts).
import { randomUUID } from 'node:crypto';
import { candidateParties } from '../../db/candidate-people';
import { trajectoryParties } from '../../db/access';
import { holdsOf, insertHold, liftHolds, type HoldSubject } from '../../db/legal-holds';
import { findCandidate } from '../../db/recruitment';
import type { LegalHold } from '../../db/schema';
import { findTrajectory } from '../../db/trajectories';
import { erasureRefusal, holdEndProblem, holdInForce } from '../../domain/legal-hold';
import type { Principal } from '../auth';
import { conflict, DomainError, notFound, says, unprocessable } from '../errors';
import type { AppDeps } from '../deps';
import type { HoldBody, HoldLiftBody, LegalHolds } from '../schemas/legal-hold';
import { today } from './trajectories';

type Deps = Pick<AppDeps, 'db' | 'now'>;

const by = (p: Principal) => (p.role === 'admin' ? 'admin' : `${p.role}:${p.organisationId ?? p.actor}`);
const facts = (h: LegalHold) => ({ reason: h.reason, until: h.until, liftedOn: h.lifted_on });

/** The record as the hold needs it: its office, and whether it was anonymised already (nothing left to keep). */
async function recordOf(deps: Deps, subject: HoldSubject, id: string) {
  if (subject === 'trajectory') {
    const [t, row] = await Promise.all([trajectoryParties(deps.db, id), findTrajectory(deps.db, id)]);
    if (!t || !row) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
    return { officeId: t.programmeOfficeId, anonymised: row.anonymised_at !== null };
  }
  const [c, row] = await Promise.all([candidateParties(deps.db, id), findCandidate(deps.db, id)]);
  if (!c || !row) throw notFound(says(`Candidate ${id}`, `Kandidaat ${id}`));
  return { officeId: c.office_id, anonymised: row.anonymised_at !== null };
}

export async function legalHolds(deps: Deps, subject: HoldSubject, id: string): Promise<LegalHolds> {
  await recordOf(deps, subject, id);
  const holds = await holdsOf(deps.db, subject, id);
  const inForce = holdInForce(
    holds.map((h) => ({ ...facts(h), h })),
    today(deps),
  )?.h;
  const view = (h: LegalHold) => ({
    id: h.id,
    reason: h.reason,
    until: h.until,
    placedBy: h.placed_by,
    placedAt: h.placed_at.toISOString(),
    lifted: h.lifted_on ? { on: h.lifted_on, by: h.lifted_by ?? '', reason: h.lift_reason ?? '' } : null,
  });
  return { subject, id, inForce: inForce ? view(inForce) : null, holds: holds.map(view) };
}

/** Places a hold (once per request id). An anonymised record has nothing left to keep: 409. */
export async function placeHold(
  deps: Deps,
  principal: Principal,
  subject: HoldSubject,
  id: string,
  body: HoldBody,
  requestId: string,
): Promise<LegalHolds> {
  const record = await recordOf(deps, subject, id);
  const problem = holdEndProblem(body.until, today(deps));
  if (problem) throw unprocessable([{ field: problem.field, message: problem.en, nl: problem.nl }]);
  if (record.anonymised)
    throw conflict(
      says(
        'This record was anonymised already: there is nothing left to hold',
        'Deze gegevens zijn al geanonimiseerd: er is niets meer te bewaren',
      ),
    );
  await insertHold(deps.db, {
    id: randomUUID(),
    request_id: requestId,
    subject,
    subject_id: id,
    office_id: record.officeId,
    reason: body.reason,
    until: body.until,
    placed_by: by(principal),
  });
  return legalHolds(deps, subject, id);
}

/** Lifts the holds in force today, with the reason; 409 when none is in force. */
export async function liftHold(
  deps: Deps,
  principal: Principal,
  subject: HoldSubject,
  id: string,
  body: HoldLiftBody,
): Promise<LegalHolds> {
  await recordOf(deps, subject, id);
  const lifted = await liftHolds(deps.db, subject, id, { on: today(deps), by: by(principal), reason: body.reason });
  // A repeated request is answered from the idempotency store; a new one with nothing in force is refused.
  if (lifted === 0)
    throw conflict(says('No legal hold is in force on this record', 'Op deze gegevens rust geen bewaarplicht'));
  return legalHolds(deps, subject, id);
}

/** An erasure request during a hold: refused with 409, naming the hold's reason and end date. */
export async function refuseWhileHeld(deps: Deps, subject: HoldSubject, id: string): Promise<void> {
  const holds = await holdsOf(deps.db, subject, id);
  const held = holdInForce(holds.map(facts), today(deps));
  if (!held) return;
  const refusal = erasureRefusal(held, subject);
  throw new DomainError(
    409,
    'legal-hold',
    says('Under a legal hold', 'Bewaarplicht (legal hold)'),
    says(refusal.en, refusal.nl),
  );
}
