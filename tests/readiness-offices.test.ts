// Employer readiness across programme offices (issue 20, review): what another office reaches through an employer
// it only uses (the admin's, or shared by consent). An employer's key an office made shows and confirms only that
// office's records, another office's record answering exactly like an unknown one; only the owning office (or the
// admin) records an organisation's KvK number; and the KvK check never tells whose organisation holds a number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';

const ALL = { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true };
let api: TestApi;
let mine: Partners;
let theirs: Partners;
let coordinator: string;
let intruder: string;
/** An employer the admin registered (office_id null): every office may use it. */
let shared: string;

const call = (method: string, url: string, body: unknown, token?: string) => api.call(method, url, body, token);
const strip = (j: Record<string, unknown>) => ({ ...j, detail: undefined, requestId: undefined, instance: undefined });

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  shared = (
    await call('POST', '/v1/organisations', {
      id: uniqueId('employer'),
      name: 'Landelijke Zorg BV',
      kind: 'employer',
      region: 'West-Brabant',
    })
  ).json.id as string;
  // The admin records its KvK number.
  const kvk = await call('PUT', `/v1/organisations/${shared}/readiness/25491`, {
    checklist: ALL,
    places: 1,
    kvk: '11112222',
    officeId: theirs.officeId,
  });
  expect(kvk.status, JSON.stringify(kvk.json)).toBe(200);
  // My office records its readiness for the shared employer, naming a praktijkopleider it registered.
  const mentorId = (
    await call(
      'POST',
      `/v1/organisations/${shared}/contacts`,
      { role: 'workplace_trainer', name: 'Mentor Van Mijn Bureau', email: 'mentor.mijnbureau@example.nl' },
      coordinator,
    )
  ).json.id as string;
  const put = await call(
    'PUT',
    `/v1/organisations/${shared}/readiness/25491`,
    { checklist: ALL, places: 3, mentor: { contactId: mentorId, hoursPerWeek: 4 } },
    coordinator,
  );
  expect(put.status, JSON.stringify(put.json)).toBe(200);
}, 180_000);
afterAll(async () => api?.close());

describe('readiness across offices', () => {
  it("an employer's key another office made shows and confirms only that office's records", async () => {
    const made = await call(
      'POST',
      '/v1/api-keys',
      { organisationId: shared, role: 'employer', label: 'made by the other office' },
      intruder,
    );
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const key = made.json.secret as string;
    const read = await call('GET', `/v1/organisations/${shared}/readiness`, undefined, key);
    expect(read.status).toBe(200);
    // Only its own office's record (the one the admin made for it), never mine.
    expect(read.json.records.map((r: { officeId: string }) => r.officeId)).toEqual([theirs.officeId]);
    expect(JSON.stringify(read.json)).not.toContain('mentor.mijnbureau@example.nl');

    const confirm = (officeId: string, crebo = '25491') =>
      call('POST', `/v1/organisations/${shared}/readiness/${crebo}/mentor-confirmation`, { officeId }, key);
    const other = await confirm(mine.officeId);
    const unknown = await confirm(mine.officeId, '99999');
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(strip(other.json)).toEqual(strip(unknown.json));
    const row = await api.db
      .selectFrom('employer_readiness')
      .select('mentor_confirmed_on')
      .where('employer_id', '=', shared)
      .where('office_id', '=', mine.officeId)
      .executeTakeFirstOrThrow();
    expect(row.mentor_confirmed_on).toBeNull();

    // A key my office made for the employer sees and confirms my office's record.
    const ours = (
      await call('POST', '/v1/api-keys', { organisationId: shared, role: 'employer', label: 'ours' }, coordinator)
    ).json.secret as string;
    const mineRead = await call('GET', `/v1/organisations/${shared}/readiness`, undefined, ours);
    expect(mineRead.json.records.map((r: { officeId: string }) => r.officeId)).toEqual([mine.officeId]);
    const confirmed = await call(
      'POST',
      `/v1/organisations/${shared}/readiness/25491/mentor-confirmation`,
      { officeId: mine.officeId },
      ours,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.mentor.confirmedOn).not.toBeNull();
  });

  it('only the owning office (or the admin) records the KvK number; a user of it is refused in Dutch', async () => {
    const put = await call(
      'PUT',
      `/v1/organisations/${shared}/readiness/25491`,
      { checklist: ALL, places: 1, kvk: '99998888' },
      intruder,
    );
    expect(put.status, JSON.stringify(put.json)).toBe(422);
    expect(put.json.errors.map((e: { field: string }) => e.field)).toEqual(['kvk']);
    expect(put.json.errors[0].message).toContain('only the programme office that registered the organisation');
    const dutch = await api.app.inject({
      method: 'PUT',
      url: `/v1/organisations/${shared}/readiness/25491`,
      headers: { ...withKey(intruder), 'accept-language': 'nl' },
      payload: { checklist: ALL, places: 1, kvk: '99998888' },
    });
    expect(dutch.statusCode).toBe(422);
    expect(dutch.json().errors[0]).toEqual({
      field: 'kvk',
      message:
        'alleen het programmabureau dat de organisatie heeft geregistreerd legt het KvK-nummer vast; laat kvk weg',
    });
    const kvkOf = async () =>
      (await api.db.selectFrom('organisation').select('kvk').where('id', '=', shared).executeTakeFirstOrThrow()).kvk;
    expect(await kvkOf()).toBe('11112222');
    // Repeating the number as it stands, or leaving it out, records the office's readiness.
    for (const body of [{ kvk: '11112222' }, {}])
      expect(
        (
          await call(
            'PUT',
            `/v1/organisations/${shared}/readiness/25491`,
            { checklist: ALL, places: 1, ...body },
            intruder,
          )
        ).status,
      ).toBe(200);
    // The admin may correct it.
    const admin = await call('PUT', `/v1/organisations/${shared}/readiness/25491`, {
      checklist: ALL,
      places: 1,
      kvk: '99998888',
      officeId: mine.officeId,
    });
    expect(admin.status, JSON.stringify(admin.json)).toBe(200);
    expect(await kvkOf()).toBe('99998888');
  });

  it('the KvK check answers one message for any number in use, never whose organisation holds it', async () => {
    const set = (employerId: string, kvk: string, token: string) =>
      call('PUT', `/v1/organisations/${employerId}/readiness/25491`, { checklist: ALL, places: 1000, kvk }, token);
    expect((await set(mine.employerIds[0]!, '55556666', coordinator)).status).toBe(200);
    expect((await set(theirs.employerIds[0]!, '77778888', intruder)).status).toBe(200);
    const others = await set(theirs.employerIds[1]!, '55556666', intruder); // my office's employer
    const own = await set(theirs.employerIds[1]!, '77778888', intruder); // its own other employer
    expect(others.status).toBe(422);
    expect(own.status).toBe(422);
    expect(others.json.errors).toEqual(own.json.errors);
    expect(others.json.errors[0]).toMatchObject({ field: 'kvk' });
    expect(JSON.stringify(others.json)).not.toMatch(/another organisation|andere organisatie/);
    expect(JSON.stringify(others.json)).not.toContain(mine.employerIds[0]!);
  });
});
