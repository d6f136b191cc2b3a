// The people who act on a candidate (issue 20): the office proposes an employer for the trial day (an update of the
// candidate's process, so the draaiboek's rules decide) and assigns a jobcoach (a plain assignment); the employer
// judges its own trial day; the employer and the jobcoach read a minimised card. Who may do which is decided by the
// one access policy (api/access.ts) before any of this runs; the checks here are the office rule on what is named.
import { assignJobcoach, candidateParties, candidatesOf, jobcoachesOfOffice } from '../../db/candidate-people';
import { findOrganisations, listOrganisations } from '../../db/organisations';
import { findContact } from '../../db/covenants';
import { findOwnedOrganisation } from '../../db/ownership';
import { candidateEvents, findCandidate } from '../../db/recruitment';
import type { Candidate } from '../../db/schema';
import { localDate } from '../../domain/calendar';
import { STEP_NL, type Draaiboek, type StepKind, type StepResult } from '../../domain/recruitment';
import { proposeEmployerUpdate } from '../../workflows/candidate';
import type { Principal } from '../auth';
import { employerSeesCandidate } from '../access';
import type { AppDeps } from '../deps';
import { notFound, says, unprocessable } from '../errors';
import { actingOffice, contactOfOffice, organisationRight } from '../ownership';
import type { CandidateCard, CandidateDetail, JobcoachBody, ProposalBody, TrialDay } from '../schemas/candidate-people';
import { candidateView, recordCandidateStep, update } from './recruitment';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'now'>;

const missing = (id: string) => notFound(says(`Candidate ${id}`, `Kandidaat ${id}`));

/** The trial day as the process holds it: the proposal, and the employer's judgement once recorded. */
function trialDayOf(c: Candidate, d: Draaiboek): TrialDay | null {
  const step = d.steps.find((s) => s.kind === 'meeloopdag');
  const p = c.state.proposal;
  if (!step || !p) return null;
  const judged = (c.state.history ?? []).find((h) => h.step === step.key);
  return {
    step: step.key,
    employerId: p.employerId,
    proposedOn: p.on,
    trialDayOn: p.trialDayOn ?? null,
    outcome: (judged?.outcome as TrialDay['outcome']) ?? null,
    judgedOn: judged?.on ?? null,
  };
}

const stepNameOf = (d: Draaiboek, key: string) => {
  const s = d.steps.find((x) => x.key === key);
  return s ? s.name || STEP_NL[s.kind as StepKind] : key;
};

async function rowAndDraaiboek(deps: Pick<Deps, 'db'>, id: string) {
  const [c, parties] = await Promise.all([findCandidate(deps.db, id), candidateParties(deps.db, id)]);
  if (!c || !parties) throw missing(id);
  return { c, d: parties.draaiboek, officeId: parties.office_id };
}

export function detailOf(c: Candidate, d: Draaiboek): CandidateDetail {
  return {
    ...candidateView(c),
    email: c.email,
    dateOfBirth: c.date_of_birth,
    sourceId: c.source_id,
    jobcoachId: c.jobcoach_id,
    trialDay: trialDayOf(c, d),
    history: (c.state.history ?? []).map((h) => ({
      step: h.step,
      outcome: h.outcome,
      on: h.on,
      ...(h.by === 'employer' && { by: 'employer' as const }),
      ...(h.note !== undefined && { note: h.note }),
    })),
  };
}

/** What an employer or jobcoach sees: no BSN hash, birth date, source or last name; the employer no e-mail. */
export function cardOf(c: Candidate, d: Draaiboek, role: Principal['role']): CandidateCard {
  return {
    id: c.id,
    reference: c.reference,
    firstName: c.first_name,
    status: c.status,
    step: c.step,
    stepName: stepNameOf(d, c.step),
    dueOn: c.due_on,
    overdue: c.overdue,
    trialDay: trialDayOf(c, d),
    ...(role === 'jobcoach' && c.email && { email: c.email }),
  };
}

const office = (p: Principal) => p.role === 'admin' || p.role === 'coordinator';

/** The candidate as the caller may see it (the policy already let it through): the office's view, or the card. */
export async function candidateFor(
  deps: Pick<Deps, 'db'>,
  p: Principal,
  id: string,
): Promise<CandidateDetail | CandidateCard> {
  const { c, d } = await rowAndDraaiboek(deps, id);
  return office(p) ? detailOf(c, d) : cardOf(c, d, p.role);
}

/** A step recorded by the office, or the employer's judgement of its own trial day (the policy allows nothing else). */
export async function recordStepAs(
  deps: Deps,
  p: Principal,
  id: string,
  body: StepResult,
  updateId?: string,
): Promise<CandidateDetail | CandidateCard> {
  const step =
    p.role === 'employer' ? { ...body, employerId: p.organisationId!, by: 'employer' as const } : (body as StepResult);
  await recordCandidateStep(deps, id, step, updateId);
  return candidateFor(deps, p, id);
}

export async function proposeEmployer(
  deps: Deps,
  id: string,
  body: ProposalBody,
  updateId?: string,
): Promise<CandidateDetail> {
  const { officeId } = await rowAndDraaiboek(deps, id);
  const org = await findOwnedOrganisation(deps.db, body.employerId);
  if (!org || org.kind !== 'employer' || !organisationRight(officeId, org))
    throw unprocessable([
      {
        field: 'employerId',
        message: `${body.employerId} is not an employer your office works with`,
        nl: `${body.employerId} is geen werkgever waarmee uw programmabureau werkt`,
      },
    ]);
  await update(deps, id, (h) => h.executeUpdate(proposeEmployerUpdate, { args: [body], updateId }));
  const after = await rowAndDraaiboek(deps, id);
  return detailOf(after.c, after.d);
}

/** The jobcoach: of the office itself, or of an organisation it works with, made by the office or the admin. */
export async function assignCandidateJobcoach(
  deps: Pick<Deps, 'db'>,
  id: string,
  body: JobcoachBody,
): Promise<CandidateDetail> {
  const { officeId } = await rowAndDraaiboek(deps, id);
  const contact = await findContact(deps.db, body.jobcoachId);
  const org = contact && (await findOwnedOrganisation(deps.db, contact.organisation_id));
  if (
    !contact ||
    contact.role !== 'jobcoach' ||
    !contactOfOffice(officeId, contact) ||
    !org ||
    !organisationRight(officeId, org)
  )
    throw unprocessable([
      {
        field: 'jobcoachId',
        message: `${body.jobcoachId} is not a jobcoach of your office or of an organisation it works with`,
        nl: `${body.jobcoachId} is geen jobcoach van uw programmabureau of van een organisatie waarmee het werkt`,
      },
    ]);
  await assignJobcoach(deps.db, id, contact.id);
  const after = await rowAndDraaiboek(deps, id);
  return detailOf(after.c, after.d);
}

/** The candidates proposed to the caller's organisation (an employer) or assigned to it (a jobcoach), as cards. */
export async function partnerCandidates(
  deps: Pick<Deps, 'db' | 'now'>,
  p: Principal,
): Promise<{ card: CandidateCard; officeId: string }[]> {
  const who =
    p.role === 'employer' && p.organisationId
      ? { employerId: p.organisationId }
      : p.role === 'jobcoach' && p.contactId
        ? { jobcoachId: p.contactId }
        : undefined;
  if (!who) return [];
  const all = await candidatesOf(deps.db, who, actingOffice(p));
  // The employer's list is the candidates it may read, as GET /v1/candidates/{id} decides.
  const today = localDate(deps.now?.() ?? Date.now());
  const rows = 'employerId' in who ? all.filter((r) => employerSeesCandidate(r, today) !== undefined) : all;
  return rows.map((r) => ({ card: cardOf(r, r.draaiboek, p.role), officeId: r.office_id }));
}

/** What the office's forms offer on a candidate: its employers and jobcoaches, and the names to show. */
export async function candidateChoices(deps: Pick<Deps, 'db'>, id: string) {
  const { officeId } = await rowAndDraaiboek(deps, id);
  const [employers, jobcoaches] = await Promise.all([
    listOrganisations(deps.db, { kind: 'employer', officeId, limit: 500, offset: 0 }),
    jobcoachesOfOffice(deps.db, officeId),
  ]);
  return {
    employers: employers.items.map((o) => ({ id: o.id, name: o.name })),
    jobcoaches: jobcoaches.map((c) => ({ id: c.id, name: `${c.name} (${c.organisation_name})` })),
  };
}

/** What happened to the candidate, in order, with the day of each (the process's events). */
export const candidateHistory = (deps: Pick<Deps, 'db'>, id: string) => candidateEvents(deps.db, id);

/** Names of organisations, for pages that show an employer by name. */
export async function organisationNames(deps: Pick<Deps, 'db'>, ids: string[]): Promise<Map<string, string>> {
  return new Map((await findOrganisations(deps.db, [...new Set(ids)])).map((o) => [o.id, o.name]));
}
