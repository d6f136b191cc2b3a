// Who sees what. Two programme offices, each with its own covenant and cohort; every role x every route
// against programme office A's data, with a key of each kind. A resource a caller may not see answers
// exactly as a missing one (404); a route a role may never use answers 403. The matrix must list every
// /v1 route of the OpenAPI document, so a new route cannot skip it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let api: TestApi;
let db: Db;
let app: App;
let call: Call;

let A: Partners;
let B: Partners;
let cohortA: { id: string; trajectories: { id: string; employerId: string; reference: string }[] };
let cohortB: { id: string; trajectories: { id: string }[] };
/** Participant 0 of cohort A: placed with A.employerIds[0], jobcoach A.jobcoachId, benefit paid by A.gemeenteId. */
let target: string;
const tokens: Record<string, string> = {};
let disposableKey: string;
/** A calendar link coordinator A made: its maker and the admin may revoke it. */
let linkA: string;
/** A mail about participant 0 of cohort A, already sent (resending it sends nothing). */
let mailA: string;
/** Office A's recruitment round and one of its candidates. */
let roundA: string;
let candidateA: string;

const PRINCIPALS = [
  'admin',
  'coordA',
  'coordB',
  'employer',
  'otherEmployer',
  'school',
  'schoolB',
  'jobcoach',
  'otherJobcoach',
  'payer',
  'otherFunder',
  'funderB',
] as const;
type Name = (typeof PRINCIPALS)[number];

const request = (name: Name, method: string, url: string, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url,
    headers:
      method === 'GET' || method === 'DELETE' ? { authorization: `Bearer ${tokens[name]}` } : withKey(tokens[name]),
    payload: payload as object,
  });

beforeAll(async () => {
  api = await startTestApi();
  ({ db, app, call } = api);
  A = await seedPartners(call, 'West-Brabant');
  B = await seedPartners(call, 'Zeeland');
  const start = addDays(thisMonday(), -14);
  cohortA = (await call('POST', '/v1/cohorts', cohortRequest({ ...A, size: 4, startDate: start }))).json;
  cohortB = (await call('POST', '/v1/cohorts', cohortRequest({ ...B, size: 2, startDate: start }))).json;
  await untilStarted(db, cohortA.id);
  target = cohortA.trajectories[0]!.id;

  tokens.admin = 'test-admin-token-0123456789';
  tokens.coordA = await createKey(call, A.officeId, 'coordinator');
  tokens.coordB = await createKey(call, B.officeId, 'coordinator');
  tokens.employer = await createKey(call, A.employerIds[0]!, 'employer');
  tokens.otherEmployer = await createKey(call, A.employerIds[1]!, 'employer');
  tokens.school = await createKey(call, A.schoolId, 'school');
  tokens.schoolB = await createKey(call, B.schoolId, 'school');
  tokens.jobcoach = await createKey(call, A.officeId, 'jobcoach', A.jobcoachId);
  tokens.otherJobcoach = await createKey(call, A.officeId, 'jobcoach', A.otherJobcoachId);
  tokens.payer = await createKey(call, A.gemeenteId, 'funder');
  tokens.otherFunder = await createKey(call, A.uwvId, 'funder');
  tokens.funderB = await createKey(call, B.gemeenteId, 'funder');
  // Made by coordinator A, so A manages it (keys the admin made are the admin's to revoke).
  const created = await call(
    'POST',
    '/v1/api-keys',
    { organisationId: A.employerIds[1], role: 'employer', label: 'to revoke' },
    tokens.coordA,
  );
  disposableKey = created.json.id;
  linkA = (await call('POST', '/v1/calendar-links', { trajectoryId: target }, tokens.coordA)).json.id;
  mailA = randomUUID();
  await db
    .insertInto('outbox')
    .values({
      id: mailA,
      key: `access-${mailA}`,
      recipient: 'trainer@example.nl',
      recipient_name: 'Trainer',
      organisation_id: A.employerIds[0]!,
      kind: 'digest',
      day: localDate(Date.now()),
      subject: 'Toeleiding',
      text: 'x',
      html: 'x',
      status: 'sent',
    })
    .execute();
  await db
    .insertInto('outbox_item')
    .values({ outbox_id: mailA, trajectory_id: target, kind: 'attendance', subject: 'x' })
    .execute();
  roundA = (
    await call(
      'POST',
      '/v1/recruitment-rounds',
      { programmeId: 'welslagen', region: 'West-Brabant', name: 'Ronde A' },
      tokens.coordA,
    )
  ).json.id;
  candidateA = (
    await call(
      'POST',
      `/v1/recruitment-rounds/${roundA}/candidates`,
      { candidates: [{ firstName: 'Zoë', lastName: 'de Vries', dateOfBirth: '1994-03-02' }] },
      tokens.coordA,
    )
  ).json.candidates[0].id;
  // The target's benefit instrument (issue 21), so its routes answer past authorization rather than 404 for none.
  const instrument = { startDate: start, decisionDate: start };
  expect((await call('POST', `/v1/trajectories/${target}/benefit`, instrument, tokens.coordA)).status).toBe(200);
});

afterAll(async () => {
  await api?.close();
});

interface Case {
  method: string;
  /** The OpenAPI path this case covers. */
  path: string;
  url: () => string;
  body?: () => unknown;
  /** Who gets past authorization (any answer but 403/404; e.g. 200, or 422 for a refused recording). */
  allowed: Name[];
  /**
   * For a route whose resource is named in the body: a body naming one that does not exist. A caller who may
   * not see the resource gets exactly that answer (404); a role that may never call the route gets 403.
   */
  missingBody?: () => unknown;
}

const future = () => addDays(localDate(Date.now()), 30);
const all = [...PRINCIPALS];

const CASES: Case[] = [
  {
    method: 'GET',
    path: '/v1/trajectories/{id}',
    url: () => `/v1/trajectories/${target}`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/schedule',
    url: () => `/v1/trajectories/${target}/schedule`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/attendance',
    url: () => `/v1/trajectories/${target}/attendance`,
    body: () => ({ entries: [{ date: future(), kind: 'placement', present: true }] }),
    allowed: ['admin', 'coordA', 'employer', 'school'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/checkpoints',
    url: () => `/v1/trajectories/${target}/checkpoints`,
    body: () => ({ key: 'geen-checkpoint', status: 'on_track', note: 'x', trainerConfirmed: true }),
    allowed: ['admin', 'coordA', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/changes',
    url: () => `/v1/trajectories/${target}/changes`,
    body: () => ({ type: 'resume', date: localDate(Date.now()) }),
    allowed: ['admin', 'coordA', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/bbl',
    url: () => `/v1/trajectories/${target}/bbl`,
    body: () => ({ by: 'employer', jobWithoutBbl: true }),
    allowed: ['admin', 'coordA', 'employer', 'school'],
  },
  // The praktijkverklaring route (issue 21): the participant's own employer records, the ROC confirms.
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/work-processes',
    url: () => `/v1/trajectories/${target}/work-processes`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/work-processes',
    url: () => `/v1/trajectories/${target}/work-processes`,
    body: () => ({ code: 'B1-K1-W1', shownOn: future(), note: 'x', assessor: 'Praktijkopleider' }),
    allowed: ['employer'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/praktijkverklaring',
    url: () => `/v1/trajectories/${target}/praktijkverklaring`,
    body: () => ({}),
    allowed: ['admin', 'school'],
  },
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/praktijkverklaring/export',
    url: () => `/v1/trajectories/${target}/praktijkverklaring/export`,
    allowed: ['admin', 'coordA', 'school'],
  },
  // The praktijkovereenkomst (issue 21): the ROC, the employer (its own signature) and the office's coordinator.
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/praktijkovereenkomst',
    url: () => `/v1/trajectories/${target}/praktijkovereenkomst`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/praktijkovereenkomst',
    url: () => `/v1/trajectories/${target}/praktijkovereenkomst`,
    body: () => ({ step: 'drawn_up', on: localDate(Date.now()) }),
    // The employer reaches it, and is refused the ROC's step with 403 naming `step` (tests/praktijkovereenkomst).
    allowed: ['admin', 'coordA', 'employer', 'school'],
  },
  {
    method: 'GET',
    path: '/v1/praktijkovereenkomsten',
    url: () => '/v1/praktijkovereenkomsten',
    allowed: ['admin', 'coordA', 'coordB', 'school', 'schoolB'],
  },
  {
    method: 'POST',
    path: '/v1/organisations/{id}/work-processes',
    url: () => `/v1/organisations/${A.employerIds[0]}/work-processes`,
    body: () => ({ programmeId: 'welslagen', codes: ['B9-K9-W9'] }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/calendar.ics',
    url: () => `/v1/trajectories/${target}/calendar.ics`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}/calendar.ics',
    url: () => `/v1/organisations/${A.employerIds[0]}/calendar.ics`,
    allowed: ['admin', 'employer'],
  },
  {
    method: 'POST',
    path: '/v1/calendar-links',
    url: () => '/v1/calendar-links',
    body: () => ({ trajectoryId: target }),
    missingBody: () => ({ trajectoryId: randomUUID() }),
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'GET',
    path: '/v1/calendar-links',
    url: () => '/v1/calendar-links',
    allowed: [
      'admin',
      'coordA',
      'coordB',
      'employer',
      'otherEmployer',
      'school',
      'schoolB',
      'jobcoach',
      'otherJobcoach',
    ],
  },
  {
    method: 'DELETE',
    path: '/v1/calendar-links/{id}',
    url: () => `/v1/calendar-links/${linkA}`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/follow-ups',
    url: () => `/v1/trajectories/${target}/follow-ups`,
    allowed: ['admin', 'coordA', 'employer', 'school', 'jobcoach'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/follow-ups/{months}',
    url: () => `/v1/trajectories/${target}/follow-ups/3`,
    body: () => ({ employed: true }),
    allowed: ['admin', 'coordA', 'employer', 'school'],
  },
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/export',
    url: () => `/v1/trajectories/${target}/export`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/erasure',
    url: () => `/v1/trajectories/${target}/erasure`,
    body: () => ({}),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/cohorts',
    url: () => '/v1/cohorts',
    allowed: ['admin', 'coordA', 'coordB', 'school', 'schoolB'],
  },
  {
    method: 'POST',
    path: '/v1/cohorts',
    url: () => '/v1/cohorts',
    body: () => ({ ...cohortRequest({ ...A, size: 1 }), startDate: '2027-04-06' }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/cohorts/{id}',
    url: () => `/v1/cohorts/${cohortA.id}`,
    allowed: ['admin', 'coordA', 'school'],
  },
  {
    method: 'GET',
    path: '/v1/cohorts/{id}/risks',
    url: () => `/v1/cohorts/${cohortA.id}/risks`,
    allowed: ['admin', 'coordA'],
  },
  { method: 'GET', path: '/v1/organisations', url: () => '/v1/organisations', allowed: ['admin', 'coordA', 'coordB'] },
  {
    method: 'POST',
    path: '/v1/organisations',
    url: () => '/v1/organisations',
    body: () => ({ id: uniqueId('zorg'), name: 'Nieuwe zorg', kind: 'employer' }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}',
    url: () => `/v1/organisations/${A.employerIds[0]}`,
    allowed: ['admin', 'coordA', 'employer'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}/contacts',
    url: () => `/v1/organisations/${A.employerIds[0]}/contacts`,
    allowed: ['admin', 'coordA', 'employer'],
  },
  {
    method: 'POST',
    path: '/v1/organisations/{id}/contacts',
    url: () => `/v1/organisations/${A.employerIds[0]}/contacts`,
    body: () => ({ role: 'workplace_trainer', name: 'Praktijkopleider', email: 'po@example.nl' }),
    allowed: ['admin', 'coordA', 'employer'],
  },
  // The jobcoach of office A gets an invitation mail (the development mailbox) from each caller allowed.
  {
    method: 'POST',
    path: '/v1/organisations/{id}/contacts/{contactId}/invitations',
    url: () => `/v1/organisations/${A.officeId}/contacts/${A.jobcoachId}/invitations`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/organisations/{id}/attendance-weeks',
    url: () => `/v1/organisations/${A.employerIds[0]}/attendance-weeks`,
    body: () => ({ weekStart: addDays(thisMonday(), 7), absences: [] }),
    allowed: ['admin', 'employer'],
  },
  // Consent goes to an office that does not exist: harmless, and no other row's answer changes.
  {
    method: 'POST',
    path: '/v1/organisations/{id}/shares',
    url: () => `/v1/organisations/${A.employerIds[0]}/shares`,
    body: () => ({ officeId: 'po-nergens' }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}/shares',
    url: () => `/v1/organisations/${A.employerIds[0]}/shares`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}/closures',
    url: () => `/v1/organisations/${A.schoolId}/closures`,
    allowed: ['admin', 'coordA', 'school'],
  },
  {
    method: 'POST',
    path: '/v1/organisations/{id}/closures',
    url: () => `/v1/organisations/${A.schoolId}/closures`,
    body: () => ({ from: '2027-01-10', to: '2027-01-01', name: 'Achterstevoren' }),
    allowed: ['admin', 'school'],
  },
  { method: 'GET', path: '/v1/covenants', url: () => '/v1/covenants', allowed: all },
  {
    method: 'POST',
    path: '/v1/covenants',
    url: () => '/v1/covenants',
    body: () => ({ name: 'Nieuw', region: 'West-Brabant', programmeOfficeId: A.officeId, members: [] }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/covenants/{id}',
    url: () => `/v1/covenants/${A.covenantId}`,
    allowed: [
      'admin',
      'coordA',
      'employer',
      'otherEmployer',
      'school',
      'jobcoach',
      'otherJobcoach',
      'payer',
      'otherFunder',
    ],
  },
  {
    method: 'POST',
    path: '/v1/covenants/{id}/members',
    url: () => `/v1/covenants/${A.covenantId}/members`,
    body: () => ({ members: [{ organisationId: A.employerIds[0], role: 'employer' }] }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/api-keys',
    url: () => '/v1/api-keys',
    body: () => ({ organisationId: A.employerIds[0], role: 'employer', label: 'matrix' }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  { method: 'GET', path: '/v1/api-keys', url: () => '/v1/api-keys', allowed: ['admin', 'coordA', 'coordB'] },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{id}',
    url: () => `/v1/api-keys/${disposableKey}`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/outcomes/participants',
    url: () => '/v1/outcomes/participants',
    allowed: ['admin', 'coordA', 'coordB', 'payer', 'otherFunder', 'funderB'],
  },
  {
    method: 'POST',
    path: '/v1/outcomes/participant-lookups',
    url: () => '/v1/outcomes/participant-lookups',
    body: () => ({ bsn: '111222333' }),
    allowed: ['admin', 'payer', 'otherFunder', 'funderB'],
  },
  { method: 'GET', path: '/v1/audit-events', url: () => '/v1/audit-events', allowed: ['admin', 'coordA', 'coordB'] },
  { method: 'GET', path: '/v1/programmes', url: () => '/v1/programmes', allowed: all },
  {
    method: 'POST',
    path: '/v1/programmes',
    url: () => '/v1/programmes',
    body: () => ({
      id: uniqueId('matrix'),
      name: 'Matrix',
      template: {
        weeks: 1,
        placementDaysPerWeek: 0,
        schoolDaysPerWeek: 1,
        checkpoints: [],
        attendanceThreshold: 0.5,
        bblDecisionFromWeek: 1,
        intendedOutcome: 'job',
      },
    }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  { method: 'GET', path: '/v1/mailbox', url: () => '/v1/mailbox', allowed: ['admin'] },
  { method: 'GET', path: '/v1/outbox', url: () => '/v1/outbox', allowed: ['admin', 'coordA', 'coordB'] },
  {
    method: 'POST',
    path: '/v1/outbox/{id}/resend',
    url: () => `/v1/outbox/${mailA}/resend`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/recruitment-rounds',
    url: () => '/v1/recruitment-rounds',
    body: () => ({ programmeId: 'welslagen', region: 'West-Brabant', name: 'Ronde' }),
    allowed: ['coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/recruitment-rounds/{id}',
    url: () => `/v1/recruitment-rounds/${roundA}`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/recruitment-rounds/{id}/candidates',
    url: () => `/v1/recruitment-rounds/${roundA}/candidates`,
    body: () => ({ candidates: [{ firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20' }] }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/candidates/{id}',
    url: () => `/v1/candidates/${candidateA}`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/candidates/{id}/steps',
    url: () => `/v1/candidates/${candidateA}/steps`,
    body: () => ({ step: 'groepsintake', outcome: 'passed', on: localDate(Date.now()) }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/candidates/{id}/proposal',
    url: () => `/v1/candidates/${candidateA}/proposal`,
    // The second employer: the matrix's employer key stays a stranger to candidate A (404 above and below).
    body: () => ({ employerId: A.employerIds[1], on: localDate(Date.now()) }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/candidates/{id}/jobcoach',
    url: () => `/v1/candidates/${candidateA}/jobcoach`,
    body: () => ({ jobcoachId: A.otherJobcoachId }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/candidates/{id}/leave',
    url: () => `/v1/candidates/${candidateA}/leave`,
    body: () => ({ reason: 'other', on: localDate(Date.now()) }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/recruitment-rounds/{id}/funnel',
    url: () => `/v1/recruitment-rounds/${roundA}/funnel`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/recruitment-rounds/{id}/cohort',
    url: () => `/v1/recruitment-rounds/${roundA}/cohort`,
    body: () => ({ covenantId: A.covenantId, startDate: '2027-01-04', schoolWeekday: 'friday' }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/recruitment-figures',
    url: () => '/v1/recruitment-figures',
    allowed: ['admin', 'coordA', 'coordB', 'payer', 'otherFunder', 'funderB'],
  },
  {
    method: 'POST',
    path: '/v1/recruitment-rounds/preview',
    url: () => '/v1/recruitment-rounds/preview',
    body: () => ({ programmeId: 'welslagen', informationSession: '2027-04-13' }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/candidates/{id}/export',
    url: () => `/v1/candidates/${candidateA}/export`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/candidates/{id}/erasure',
    url: () => `/v1/candidates/${candidateA}/erasure`,
    body: () => ({}),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'GET',
    path: '/v1/organisations/{id}/readiness',
    url: () => `/v1/organisations/${A.employerIds[0]}/readiness`,
    allowed: ['admin', 'coordA', 'employer'],
  },
  {
    method: 'PUT',
    path: '/v1/organisations/{id}/readiness/{crebo}',
    url: () => `/v1/organisations/${A.employerIds[0]}/readiness/25491`,
    body: () => ({
      recognition: { number: 'SBB-1', recognisedOn: '2024-01-08', checkedOn: '2025-01-06' },
      checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true },
      places: 1000,
    }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/organisations/{id}/readiness/{crebo}/mentor-confirmation',
    url: () => `/v1/organisations/${A.employerIds[0]}/readiness/25491/mentor-confirmation`,
    body: () => ({ officeId: A.officeId }),
    allowed: ['employer'],
  },
  {
    method: 'POST',
    path: '/v1/readiness/sbb-imports',
    url: () => '/v1/readiness/sbb-imports',
    body: () => ({
      agreement: 'SBB-overeenkomst 1',
      recognitions: [
        { employerId: A.employerIds[0], crebo: '25491', recognitionNumber: 'SBB-1', recognisedOn: '2024-01-08' },
      ],
    }),
    allowed: ['admin', 'coordA', 'coordB'],
  },
  { method: 'GET', path: '/v1/steering', url: () => '/v1/steering', allowed: ['admin', 'coordA', 'coordB'] },
  {
    method: 'GET',
    path: '/v1/steering/risks',
    url: () => '/v1/steering/risks',
    allowed: ['admin', 'coordA', 'coordB'],
  },
  {
    method: 'GET',
    path: '/v1/outcomes',
    url: () => '/v1/outcomes',
    allowed: ['admin', 'coordA', 'coordB', 'payer', 'otherFunder', 'funderB'],
  },
  // Benefit instruments: the office and the participant's own payer (A.gemeenteId), no other funder.
  {
    method: 'GET',
    path: '/v1/trajectories/{id}/benefit',
    url: () => `/v1/trajectories/${target}/benefit`,
    allowed: ['admin', 'coordA', 'payer'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/benefit',
    url: () => `/v1/trajectories/${target}/benefit`,
    body: () => ({ startDate: addDays(thisMonday(), -14), decisionDate: addDays(thisMonday(), -14) }),
    allowed: ['admin', 'coordA', 'payer'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/benefit-extensions',
    url: () => `/v1/trajectories/${target}/benefit-extensions`,
    body: () => ({ until: addDays(thisMonday(), 60), decidedOn: localDate(Date.now()) }),
    allowed: ['admin', 'coordA', 'payer'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/benefit-adjustment',
    url: () => `/v1/trajectories/${target}/benefit-adjustment`,
    body: () => ({ outcome: 'adjusted', date: localDate(Date.now()) }),
    allowed: ['admin', 'coordA', 'payer'],
  },
  {
    method: 'POST',
    path: '/v1/trajectories/{id}/change-previews',
    url: () => `/v1/trajectories/${target}/change-previews`,
    body: () => ({ type: 'resume', date: localDate(Date.now()) }),
    allowed: ['admin', 'coordA', 'jobcoach'],
  },
  {
    method: 'GET',
    path: '/v1/benefit-provisions',
    url: () => `/v1/benefit-provisions?month=${localDate(Date.now()).slice(0, 7)}`,
    allowed: ['payer', 'otherFunder', 'funderB'],
  },
  // Evidence and legal holds (issue 21, part 4).
  ...(['trajectories', 'candidates'] as const).flatMap((kind): Case[] => {
    const url = (rest: string) => () => `/v1/${kind}/${kind === 'trajectories' ? target : candidateA}/${rest}`;
    return [
      { method: 'GET', path: `/v1/${kind}/{id}/legal-holds`, url: url('legal-holds'), allowed: ['admin', 'coordA'] },
      {
        method: 'POST',
        path: `/v1/${kind}/{id}/legal-holds`,
        url: url('legal-holds'),
        body: () => ({ reason: 'Bewaarplicht subsidie', until: addDays(localDate(Date.now()), 400) }),
        allowed: ['admin', 'coordA'],
      },
      {
        method: 'POST',
        path: `/v1/${kind}/{id}/legal-hold-lift`,
        url: url('legal-hold-lift'),
        body: () => ({ reason: 'Niet meer nodig' }),
        allowed: ['admin', 'coordA'],
      },
    ];
  }),
  {
    method: 'GET',
    path: '/v1/organisations/{id}/subsidy-evidence',
    url: () => `/v1/organisations/${A.employerIds[0]}/subsidy-evidence?schoolYear=2026-2027`,
    allowed: ['admin', 'coordA', 'employer'],
  },
  {
    method: 'GET',
    path: '/v1/covenants/{id}/esf-evidence',
    url: () => `/v1/covenants/${A.covenantId}/esf-evidence`,
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/covenants/{id}/staff-hours',
    url: () => `/v1/covenants/${A.covenantId}/staff-hours`,
    body: () => ({ organisationId: A.schoolId, month: '2026-10', hours: 12.5 }),
    allowed: ['admin', 'coordA'],
  },
  {
    method: 'POST',
    path: '/v1/bsn-reports',
    url: () => '/v1/bsn-reports',
    body: () => ({ bsn: ['111222333'], payerId: A.gemeenteId }),
    // A payer another office works with, or another payer than the caller itself, answers as an unknown one.
    missingBody: () => ({ bsn: ['111222333'], payerId: randomUUID() }),
    allowed: ['admin', 'coordA', 'payer'],
  },
];

describe('the authorization matrix', () => {
  it('covers every /v1 route of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const routes = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((r) => r.includes(' /v1/'));
    expect(CASES.map((c) => `${c.method} ${c.path}`).sort()).toEqual(routes.sort());
  });

  it(
    'lets each role through exactly where it has a part, ' + 'and answers every other caller as if nothing were there',
    async () => {
      const leaks: string[] = [];
      for (const c of CASES) {
        const hasResource = c.path.includes('{id}');
        // What a caller sees for something that does not exist: the shape every refusal must have.
        const missing = hasResource
          ? await request(
              'admin',
              c.method,
              c.url().replace(/\/v1\/([a-z-]+)\/[^/]+/, `/v1/$1/${randomUUID()}`),
              c.body?.(),
            )
          : c.missingBody
            ? await request('admin', c.method, c.url(), c.missingBody())
            : undefined;
        for (const name of PRINCIPALS) {
          const res = await request(name, c.method, c.url(), c.body?.());
          const label = `${name} ${c.method} ${c.url()} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          const refused =
            res.statusCode === 404 || (res.statusCode === 403 && !hasResource && res.json().errors === undefined);
          if (c.allowed.includes(name)) {
            if (refused || res.statusCode >= 500) leaks.push(`wrongly refused: ${label}`);
            continue;
          }
          if (hasResource || (c.missingBody && res.statusCode !== 403)) {
            const { detail: _a, requestId: _b, instance: _c, ...shape } = res.json();
            const { detail: _d, requestId: _e, instance: _f, ...expected } = missing!.json();
            if (res.statusCode !== 404 || JSON.stringify(shape) !== JSON.stringify(expected))
              leaks.push(`not hidden: ${label}`);
            if (res.body.includes(cohortA.trajectories[0]!.reference) || res.body.includes('Deelnemer'))
              leaks.push(`data in refusal: ${label}`);
          } else if (res.statusCode !== 403) {
            leaks.push(`not refused: ${label}`);
          }
        }
      }
      expect(leaks).toEqual([]);
    },
    120_000,
  );

  it(
    'filters lists to the caller: cohorts, covenants, ' + 'outcomes and audit events of another office never appear',
    async () => {
      const ids = async (name: Name, url: string, field = 'id') =>
        (await request(name, 'GET', url)).json().items.map((i: Record<string, string>) => i[field]);
      expect(await ids('coordA', '/v1/cohorts?limit=200')).toContain(cohortA.id);
      expect(await ids('coordB', '/v1/cohorts?limit=200')).not.toContain(cohortA.id);
      expect(await ids('schoolB', '/v1/cohorts?limit=200')).toEqual([cohortB.id]);
      expect(await ids('coordB', '/v1/covenants?limit=200')).toEqual([B.covenantId]);
      expect(await ids('employer', '/v1/covenants')).toEqual([A.covenantId]);

      // A funder sees the participants whose benefit it pays, and only those.
      const paid = cohortA.trajectories
        .filter((_, i) => i % 2 === 0)
        .map((t) => t.id)
        .sort();
      expect((await ids('payer', '/v1/outcomes/participants?limit=200', 'trajectoryId')).sort()).toEqual(paid);
      expect(await ids('funderB', `/v1/outcomes/participants?cohortId=${cohortA.id}`, 'trajectoryId')).toEqual([]);
      expect((await ids('coordA', `/v1/outcomes/participants?cohortId=${cohortA.id}`, 'trajectoryId')).sort()).toEqual(
        cohortA.trajectories.map((t) => t.id).sort(),
      );

      await request('employer', 'GET', `/v1/trajectories/${target}`);
      expect((await request('coordA', 'GET', `/v1/audit-events?trajectoryId=${target}`)).json().total).toBeGreaterThan(
        0,
      );
      expect((await request('coordB', 'GET', `/v1/audit-events?trajectoryId=${target}`)).json().total).toBe(0);
    },
  );

  it('refuses a revoked key at once, and records when a key was last used', async () => {
    const created = await call('POST', '/v1/api-keys', {
      organisationId: A.schoolId,
      role: 'school',
      label: 'kortstondig',
    });
    expect(created.status).toBe(201);
    const secret = created.json.secret as string;
    expect(secret).toMatch(/^tlk_/);
    const stored = await db
      .selectFrom('api_key')
      .selectAll()
      .where('id', '=', created.json.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/v1/cohorts/${cohortA.id}`,
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(200);
    const listed = (await call('GET', '/v1/api-keys?limit=200')).json.items.find(
      (k: { id: string }) => k.id === created.json.id,
    );
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed).not.toHaveProperty('secret');
    expect((await call('DELETE', `/v1/api-keys/${created.json.id}`)).json.revokedAt).not.toBeNull();
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/v1/cohorts/${cohortA.id}`,
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it("never shows a key's secret again, not even to a repeated request", async () => {
    const headers = withKey();
    const body = { organisationId: A.schoolId, role: 'school', label: 'herhaald' };
    const first = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: body });
    const again = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: body });
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().secret).not.toBe(first.json().secret);
    const stored = await db
      .selectFrom('idempotency_key')
      .select('response')
      .where('resource_id', '=', first.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.response).not.toContain(first.json().secret);
  });
});

describe('keys made by a coordinator', () => {
  it('see nothing of another programme office, even for a partner both offices work with', async () => {
    // Without office B's consent, B's UWV answers A exactly like an organisation that does not exist.
    const member = (id: string) =>
      request('coordA', 'POST', `/v1/covenants/${A.covenantId}/members`, {
        members: [{ organisationId: id, role: 'funder' }],
      });
    const [theirs, unknown] = [await member(B.uwvId), await member('uwv-die-niet-bestaat')];
    expect([theirs.statusCode, unknown.statusCode]).toEqual([422, 422]);
    expect(theirs.json().errors[0].field).toBe(unknown.json().errors[0].field);
    expect(
      (await request('coordA', 'POST', '/v1/api-keys', { organisationId: B.uwvId, role: 'funder', label: 'geleend' }))
        .statusCode,
    ).toBe(422);
    // With it (a UWV office working with both programme offices), A draws it into its covenant and makes a funder key
    // for it.
    expect(
      (await request('coordB', 'POST', `/v1/organisations/${B.uwvId}/shares`, { officeId: A.officeId })).statusCode,
    ).toBe(201);
    expect((await member(B.uwvId)).statusCode).toBe(200);
    const made = await request('coordA', 'POST', '/v1/api-keys', {
      organisationId: B.uwvId,
      role: 'funder',
      label: 'geleend',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().officeId).toBe(A.officeId);
    const borrowed = made.json().secret as string;
    const outcomes = await app.inject({
      method: 'GET',
      url: '/v1/outcomes/participants?limit=200',
      headers: { authorization: `Bearer ${borrowed}` },
    });
    expect(outcomes.statusCode).toBe(200);
    expect(outcomes.json().items.map((i: { cohortId: string }) => i.cohortId)).not.toContain(cohortB.id);
    // A key of office B's own UWV, made by office B, still sees office B's participant it pays for.
    expect(
      (await request('coordB', 'GET', '/v1/outcomes/participants?limit=200'))
        .json()
        .items.map((i: { cohortId: string }) => i.cohortId),
    ).toContain(cohortB.id);
  });

  it(
    'cannot be coordinator keys of another office, and a ' + "coordinator cannot see or revoke another office's keys",
    async () => {
      const res = await request('coordA', 'POST', '/v1/api-keys', {
        organisationId: B.officeId,
        role: 'coordinator',
        label: 'overname',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].field).toBe('organisationId');
      const bKeys = (await request('coordB', 'GET', '/v1/api-keys?limit=200')).json().items as { id: string }[];
      const aKeys = new Set(
        ((await request('coordA', 'GET', '/v1/api-keys?limit=200')).json().items as { id: string }[]).map((k) => k.id),
      );
      expect(bKeys.length).toBeGreaterThan(0);
      for (const k of bKeys) expect(aKeys.has(k.id)).toBe(false);
      expect((await request('coordA', 'DELETE', `/v1/api-keys/${bKeys[0]!.id}`)).statusCode).toBe(404);
    },
  );
});

describe('role limits within a trajectory', () => {
  it('an employer records placement days only, an ROC school days only, each confirms its own BBL part', async () => {
    const entry = (kind: string) => ({ entries: [{ date: localDate(Date.now()), kind, present: true }] });
    const school = await request('employer', 'POST', `/v1/trajectories/${target}/attendance`, entry('school'));
    expect(school.statusCode).toBe(403);
    expect(school.json().errors).toEqual([
      { field: 'entries[0].kind', message: 'an employer records placement days only' },
    ]);
    expect(
      (await request('school', 'POST', `/v1/trajectories/${target}/attendance`, entry('placement'))).statusCode,
    ).toBe(403);
    expect(
      (
        await request('school', 'POST', `/v1/trajectories/${target}/bbl`, { by: 'employer', jobWithoutBbl: true })
      ).json().errors[0].field,
    ).toBe('by');
  });

  it('a jobcoach records pauses and resumptions, not a dropout', async () => {
    const res = await request('jobcoach', 'POST', `/v1/trajectories/${target}/changes`, {
      type: 'dropout',
      reason: 'other',
      text: 'x',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].field).toBe('type');
  });

  it(
    'after an employer change the new employer sees the trajectory from the change date on, and the former ' +
      'one no longer does',
    async () => {
      const moved = cohortA.trajectories[1]!; // placed with employer 1
      const today = localDate(Date.now());
      const change = await request('coordA', 'POST', `/v1/trajectories/${moved.id}/changes`, {
        type: 'employer_change',
        employerId: A.employerIds[0],
        from: today,
      });
      expect(change.statusCode, change.body).toBe(200);
      const seen = await request('employer', 'GET', `/v1/trajectories/${moved.id}`);
      expect(seen.statusCode).toBe(200);
      expect(seen.json().events.length).toBeGreaterThan(0);
      expect(seen.json().events.every((e: { date: string }) => e.date >= today)).toBe(true);
      const schedule = await request('employer', 'GET', `/v1/trajectories/${moved.id}/schedule`);
      expect(
        schedule
          .json()
          .weeks.flatMap((w: { days: { date: string }[] }) => w.days)
          .every((d: { date: string }) => d.date >= today),
      ).toBe(true);
      expect(seen.json().employerId).toBe(A.employerIds[0]);
      expect(seen.json().live.risks).toEqual([]);
      expect(seen.json().live.open.attendance.every((d: { date: string }) => d.date >= today)).toBe(true);
      expect((await request('otherEmployer', 'GET', `/v1/trajectories/${moved.id}`)).statusCode).toBe(404);
      // Nor does the former employer reach it through a whole week's recording.
      const week = await request('otherEmployer', 'POST', `/v1/organisations/${A.employerIds[1]}/attendance-weeks`, {
        weekStart: addDays(thisMonday(), -7),
        absences: [],
      });
      expect(week.statusCode, week.body).toBe(200);
      expect(week.json().trajectories.map((t: { trajectoryId: string }) => t.trajectoryId)).not.toContain(moved.id);
      // The coordinator still sees the whole story.
      expect(
        (await request('coordA', 'GET', `/v1/trajectories/${moved.id}`))
          .json()
          .events.some((e: { type: string }) => e.type === 'started'),
      ).toBe(true);
    },
  );

  it('refuses an employer change to an organisation outside the covenant', async () => {
    const res = await request('coordA', 'POST', `/v1/trajectories/${cohortA.trajectories[2]!.id}/changes`, {
      type: 'employer_change',
      employerId: B.employerIds[0],
      from: localDate(Date.now()),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('employerId');
  });

  it('a coordinator launches only under its own covenant, with partners of that covenant', async () => {
    const foreign = await request('coordB', 'POST', '/v1/cohorts', cohortRequest({ ...A, size: 1 }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors.map((e: { field: string }) => e.field)).toContain('covenantId');
    const mixed = await request(
      'coordA',
      'POST',
      '/v1/cohorts',
      cohortRequest({ ...A, employerIds: [B.employerIds[0]!], size: 1 }),
    );
    expect(mixed.json().errors.map((e: { field: string }) => e.field)).toEqual(['participants[0].employerId']);
  });
});
