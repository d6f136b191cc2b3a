// A covenant with all its partners, made through the API itself, and keys for every role.
import { randomUUID } from 'node:crypto';
import type { CohortPartners } from './fixtures';
import { uniqueId } from './fixtures';
import type { Json } from './json';

export type Call = (
  method: string,
  url: string,
  body?: unknown,
  token?: string,
) => Promise<{ status: number; json: Json }>;

export interface Partners extends CohortPartners {
  officeId: string;
  gemeenteId: string;
  uwvId: string;
  /** A second jobcoach of the office, with no participants assigned at first. */
  otherJobcoachId: string;
}

async function created(call: Call, url: string, body: unknown): Promise<Json> {
  const res = await call('POST', url, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Adds a contact to the organisation under a fresh address; its id and address. */
export async function addContact(call: Call, organisationId: string, role: string, name: string) {
  const email = `${uniqueId(role)}@example.nl`;
  const made = await created(call, `/v1/organisations/${organisationId}/contacts`, { role, name, email });
  return { id: made.id as string, email };
}

export async function seedPartners(call: Call, region = 'West-Brabant'): Promise<Partners> {
  // The admin registers the office, and the partners as that office's own (each office owns what it works with).
  const org = async (kind: string, name: string, officeId?: string) =>
    (await created(call, '/v1/organisations', { id: uniqueId(kind), name, kind, region, officeId })).id as string;
  const officeId = await org('programme_office', 'Programmabureau WelSlagen');
  const schoolId = await org('school', 'ROC West-Brabant', officeId);
  const employerIds = [
    await org('employer', 'Zorggroep Breda', officeId),
    await org('employer', 'Thuiszorg Roosendaal', officeId),
  ];
  const gemeenteId = await org('gemeente', 'Gemeente Breda', officeId);
  const uwvId = await org('uwv', 'UWV West-Brabant', officeId);
  const contact = async (role: string, name: string) =>
    (
      await created(call, `/v1/organisations/${officeId}/contacts`, {
        role,
        name,
        email: `${uniqueId(role)}@example.nl`,
      })
    ).id as string;
  const jobcoachId = await contact('jobcoach', 'Jobcoach Breda');
  const otherJobcoachId = await contact('jobcoach', 'Jobcoach Roosendaal');
  const covenant = await created(call, '/v1/covenants', {
    name: `WelSlagen ${region}`,
    region,
    programmeOfficeId: officeId,
    members: [
      { organisationId: schoolId, role: 'school' },
      ...employerIds.map((organisationId) => ({ organisationId, role: 'employer' })),
      { organisationId: gemeenteId, role: 'funder' },
      { organisationId: uwvId, role: 'funder' },
    ],
  });
  // Its employers are ready for WelSlagen's qualification (the launch guard, api/services/readiness.ts), with places
  // to spare, so a test launches as before; tests/employer-readiness.test.ts makes its own employers that are not.
  for (const employerId of employerIds) await seedReadiness(call, officeId, employerId);
  return {
    covenantId: covenant.id,
    officeId,
    schoolId,
    employerIds,
    gemeenteId,
    uwvId,
    jobcoachId,
    otherJobcoachId,
    benefitPayerIds: [gemeenteId, uwvId],
  };
}

/** Creates an API key and returns its secret. */
export async function createKey(call: Call, organisationId: string, role: string, contactId?: string): Promise<string> {
  return (
    await created(call, '/v1/api-keys', {
      organisationId,
      role,
      contactId,
      label: `${role} test key ${randomUUID().slice(0, 8)}`,
    })
  ).secret as string;
}

/** Records an employer as ready for the office: recognised by SBB (as imported), the checklist complete, places. */
export async function seedReadiness(call: Call, officeId: string, employerId: string, places = 1000): Promise<void> {
  const res = await call('PUT', `/v1/organisations/${employerId}/readiness/25491`, {
    officeId,
    // Checked on the day the partners are seeded (a later start of a cohort makes a re-check due before its BBL).
    recognition: { number: 'SBB-100234', recognisedOn: '2024-06-03', checkedOn: new Date().toISOString().slice(0, 10) },
    checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true },
    places,
  });
  if (res.status !== 200) throw new Error(`readiness of ${employerId}: ${res.status} ${JSON.stringify(res.json)}`);
}
