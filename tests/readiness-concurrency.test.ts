// The readiness guard under concurrency (issue 20, review): the launch checks the places again inside the
// transaction that writes the starts, under a lock per (office, employer), so two launches at once cannot both take
// an employer's last place without an override. The lock exists in PGlite too (npm start without a database URL).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPglite, openPglite } from '../db/connection';
import { addDays } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, seedReadiness, type Partners } from './helpers/partners';

let api: TestApi;
let mine: Partners;
let coordinator: string;

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  // One place only at the first employer.
  await seedReadiness(api.call, mine.officeId, mine.employerIds[0]!, 1);
}, 120_000);
afterAll(async () => api?.close());

const inUse = async (employerId: string) =>
  Number(
    (
      await api.db
        .selectFrom('trajectory')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('employer_id', '=', employerId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the readiness guard under concurrency', () => {
  it('lets one of two launches at once take the last place; the other is refused, nothing written for it', async () => {
    const body = cohortRequest({ ...mine, size: 1, startDate: addDays(thisMonday(), 7) });
    const results = await Promise.all([
      api.call('POST', '/v1/cohorts', body, coordinator),
      api.call('POST', '/v1/cohorts', body, coordinator),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const refused = results.find((r) => r.status === 422)!;
    expect(refused.json.errors).toEqual([
      expect.objectContaining({
        field: 'participants[0].employerId',
        message: expect.stringContaining('readinessOverride'),
      }),
    ]);
    expect(await inUse(mine.employerIds[0]!)).toBe(1);
    expect(await api.db.selectFrom('readiness_override').selectAll().execute()).toEqual([]);
    expect(await api.db.selectFrom('cohort').select('id').execute()).toHaveLength(1);
  });

  it('under an override, two launches at once both start, each recorded in the override log', async () => {
    const body = {
      ...cohortRequest({ ...mine, size: 1, startDate: addDays(thisMonday(), 14) }),
      readinessOverride: { reason: 'Tweede plaats afgesproken met de werkgever' },
    };
    const before = await inUse(mine.employerIds[0]!);
    const results = await Promise.all([
      api.call('POST', '/v1/cohorts', body, coordinator),
      api.call('POST', '/v1/cohorts', body, coordinator),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(await inUse(mine.employerIds[0]!)).toBe(before + 2);
    // The place was already taken: both starts are over the places, each recorded with its override.
    expect(await api.db.selectFrom('readiness_override').selectAll().execute()).toHaveLength(2);
  });

  it('takes the same lock in PGlite', async () => {
    const db = connectPglite(await openPglite());
    try {
      const got = await db
        .transaction()
        .execute(async (trx) =>
          sql`select pg_advisory_xact_lock(hashtext('bureau'), hashtext('werkgever'))`.execute(trx),
        );
      expect(got.rows).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });
});
