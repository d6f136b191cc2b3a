// Candidates' deadlines in the coordinator's morning mail (issue 20), by the digest's own rules: a step whose
// reminder day has come (urgencyOf 'remind') or whose deadline passed is an item for the office's coordinators each
// working morning until it is recorded; a step still overdue after the escalation threshold of reminders sent
// (DEFAULT_REMINDERS.escalateAfterReminders, as for a partner's ignored reminder) is raised once as an escalation.
// Composed here, merged into the digest by composeMails (activities/reminders.ts), each carried item kept in
// outbox_candidate_item so the next morning can count it.
import {
  candidateEscalationsRaised,
  candidateRemindersSentBefore,
  candidatesNearDeadline,
} from '../db/candidate-reminders';
import type { Db } from '../db/connection';
import { STEP_NL, urgencyOf, type CandidateState } from '../domain/recruitment';
import type { DigestItem } from './mail-texts';

export interface CandidateDue {
  to: { organisationId: string; role: 'coordinator' };
  item: DigestItem & { candidate: NonNullable<DigestItem['candidate']> };
  subject: string;
}

/** The candidate items of the morning of `date`; `escalateAfter` reminders sent make an overdue step an escalation. */
export async function candidateDues(db: Db, date: string, escalateAfter: number): Promise<CandidateDue[]> {
  const rows = await candidatesNearDeadline(db, date);
  const out: CandidateDue[] = [];
  for (const c of rows) {
    const index = c.draaiboek.steps.findIndex((s) => s.key === c.step);
    if (index < 0) continue;
    const state = { status: 'in_progress', step: index, dueOn: c.due_on } as CandidateState;
    const urgency = urgencyOf(c.draaiboek, state, date);
    if (urgency !== 'remind' && urgency !== 'overdue') continue;
    const step = c.draaiboek.steps[index]!;
    out.push({
      to: { organisationId: c.office_id, role: 'coordinator' },
      // A later step (or the same step with a new deadline) is another subject, counted afresh.
      subject: `${c.step}:${c.due_on}`,
      item: {
        kind: urgency === 'overdue' ? 'candidate_overdue' : 'candidate_due',
        trajectoryId: c.id,
        firstName: c.first_name,
        reference: c.reference,
        candidate: {
          id: c.id,
          officeId: c.office_id,
          step: step.name || STEP_NL[step.kind],
          dueOn: c.due_on,
          round: c.round,
        },
      },
    });
  }
  const ids = out.map((d) => d.item.candidate.id);
  const [sent, raised] = await Promise.all([
    candidateRemindersSentBefore(db, ids, date),
    candidateEscalationsRaised(db, ids),
  ]);
  const times = new Map(sent.map((s) => [`${s.candidate_id}|${s.kind}|${s.subject}`, Number(s.times)]));
  const escalations: CandidateDue[] = [];
  for (const d of out) {
    if (d.item.kind !== 'candidate_overdue') continue;
    const id = d.item.candidate.id;
    const reminded = times.get(`${id}|candidate_overdue|${d.subject}`) ?? 0;
    if (reminded < escalateAfter || raised.has(`${id}|candidate_escalation|${d.subject}`)) continue;
    escalations.push({
      ...d,
      item: {
        ...d.item,
        kind: 'candidate_escalation',
        ignored: { kind: 'candidate_overdue', organisation: '', times: reminded },
      },
    });
  }
  return [...out, ...escalations];
}
