// Upgrading through migration 0009 from a database that issue 15's attack left behind: office A drew office B's
// employer and office B itself into A's covenant, added its own address as their contacts, and published
// welslagen version 2 as a one-week template. After the upgrade none of it may keep working: the attacker's
// contacts are A's (or held back when nobody can tell whose they are), no consent is made up, and B's launches
// never get A's version.
import { createHash } from 'node:crypto';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import { connectPostgres, type Db } from '../db/connection';
import { migrateToLatest, MIGRATIONS } from '../db/migrate';
import { findProgrammeFor } from '../db/programmes';
import { injectCall, testDeps } from './helpers/app';
import { createThrowawayDatabase } from './helpers/postgres';

let db: Db;
let drop: () => Promise<void>;
let app: App;
const secretA = 'tlk_upgrade-coordinator-a-0123456789abcdefghijklmnop';
const keyA = '00000000-0000-4000-8000-00000000000a';

/** What the API's repeated-request protection stored for a request of A's key (kept 30 days). */
const madeByA = (path: string, response: object) => ({
  scope: `${keyA} POST ${path}`,
  key: `k-${path}-${JSON.stringify(response).length}`,
  request_hash: 'x',
  resource_id: 'x',
  status_code: 201,
  response: JSON.stringify(response),
});

beforeAll(async () => {
  const database = await createThrowawayDatabase(false);
  drop = database.drop;
  db = connectPostgres(database.url, 2);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  expect((await migrator.migrateTo('0008_steering_and_follow_up')).error).toBeUndefined();
  await db
    .insertInto('organisation')
    .values([
      { id: 'po-b', name: 'Bureau B', kind: 'programme_office' },
      { id: 'po-a', name: 'Bureau A', kind: 'programme_office' },
      { id: 'zorg-b', name: 'Zorg B', kind: 'employer', email: 'info@zorg-b.example.nl' },
    ] as never)
    .execute();
  await db
    .insertInto('covenant')
    .values({ id: 'cov-b', name: 'B', region: 'Z', programme_office_id: 'po-b' } as never)
    .execute();
  await db
    .insertInto('covenant_member')
    .values({ covenant_id: 'cov-b', organisation_id: 'zorg-b', role: 'employer' } as never)
    .execute();
  await new Promise((r) => setTimeout(r, 20)); // A's covenant is the later one
  await db
    .insertInto('covenant')
    .values({ id: 'cov-a', name: 'A', region: 'W', programme_office_id: 'po-a' } as never)
    .execute();
  await db
    .insertInto('covenant_member')
    .values([
      { covenant_id: 'cov-a', organisation_id: 'zorg-b', role: 'employer' },
      { covenant_id: 'cov-a', organisation_id: 'po-b', role: 'jobcoaching' },
    ] as never)
    .execute();
  await db
    .insertInto('api_key')
    .values({
      id: keyA,
      organisation_id: 'po-a',
      role: 'coordinator',
      label: 'A',
      secret_hash: createHash('sha256').update(secretA).digest('hex'),
      created_by: 'admin',
      office_id: 'po-a',
    } as never)
    .execute();
  const v1 = await db.selectFrom('programme').selectAll().where('id', '=', 'welslagen').executeTakeFirstOrThrow();
  await db
    .insertInto('programme')
    .values({
      id: 'welslagen',
      version: 2,
      name: v1.name,
      template: JSON.stringify({ ...v1.template, weeks: 1 }),
    } as never)
    .execute();
  await db
    .insertInto('contact')
    .values([
      { id: 'evil-1', organisation_id: 'zorg-b', role: 'workplace_trainer', name: 'Evil', email: 'evil@a.example.nl' },
      { id: 'evil-2', organisation_id: 'po-b', role: 'coordinator', name: 'Evil', email: 'evil@a.example.nl' },
      { id: 'legit-b', organisation_id: 'po-b', role: 'coordinator', name: 'Carla', email: 'carla@b.example.nl' },
    ] as never)
    .execute();
  // Within the last 30 days A's key made evil-1 and welslagen v2; evil-2 is older, so nobody can tell who made it.
  await db
    .insertInto('idempotency_key')
    .values([
      madeByA('/v1/organisations/zorg-b/contacts', { id: 'evil-1', organisationId: 'zorg-b' }),
      madeByA('/v1/programmes', { id: 'welslagen', version: 2 }),
    ] as never)
    .execute();
  expect(await migrateToLatest(db)).toContain('0009_office_ownership');
  app = await buildApp(testDeps(db, {} as never));
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
  await drop?.();
});

describe('migration 0009 after the attack', () => {
  it('gives each organisation its owner and makes up no consent for the attacker', async () => {
    const orgs = await db.selectFrom('organisation').select(['id', 'office_id']).orderBy('id').execute();
    expect(orgs).toEqual([
      { id: 'po-a', office_id: 'po-a' },
      { id: 'po-b', office_id: 'po-b' },
      { id: 'zorg-b', office_id: 'po-b' },
    ]);
    expect(await db.selectFrom('organisation_share').selectAll().execute()).toEqual([]);
    const call = injectCall(app);
    expect((await call('GET', '/v1/organisations/po-b', undefined, secretA)).status).toBe(404);
    expect((await call('GET', '/v1/organisations/zorg-b', undefined, secretA)).status).toBe(404);
    expect(
      (
        await call(
          'POST',
          '/v1/organisations/po-b/contacts',
          { role: 'jobcoach', name: 'Evil', email: 'evil@a.example.nl' },
          secretA,
        )
      ).status,
    ).toBe(404);
  });

  it("hands the attacker's contacts to A, or holds them back, never to B", async () => {
    const contacts = await db.selectFrom('contact').select(['id', 'office_id']).orderBy('id').execute();
    expect(contacts).toEqual([
      { id: 'evil-1', office_id: 'po-a' }, // made by A's key, as its stored answer says
      { id: 'evil-2', office_id: '-' }, // nobody can tell: held back, mailed about nobody
      { id: 'legit-b', office_id: '-' }, // the same for B's own; B adds it again (README, upgrading)
    ]);
  });

  it("keeps A's welslagen version from B's launches", async () => {
    expect((await findProgrammeFor(db, 'po-b', 'welslagen'))?.version).toBe(1);
    expect((await findProgrammeFor(db, 'po-a', 'welslagen'))?.version).toBe(2);
  });
});
