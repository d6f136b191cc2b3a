// A region's numbers on real PostgreSQL: one statement carries at most 65,535 parameters, so anything that
// grows with the number of trajectories must not put one parameter per row or per id in one statement.
// Both failures here were found by the 10,000-trajectory benchmark (bench/scale.ts) before these tests.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Db } from '../db/connection';
import { alreadyRaised, enqueueMail, remindersSentBefore } from '../db/outbox';
import { addDays } from '../domain/calendar';
import { thisMonday, welslagenTemplate } from './helpers/fixtures';
import { createThrowawayDatabase } from './helpers/postgres';
import { seedTrajectory } from './helpers/seed';

let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let db: Db;

beforeAll(async () => {
  database = await createThrowawayDatabase();
  db = connectPostgres(database.url, 2);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const mail = (organisationId: string, day: string) => ({
  id: randomUUID(),
  key: `rob@roc.example.nl|${organisationId}|digest|${day}`,
  recipient: 'rob@roc.example.nl',
  recipient_name: 'Rob ROC',
  organisation_id: organisationId,
  kind: 'digest',
  day,
  subject: 'Openstaand',
  text: '…',
  html: '<p>…</p>',
});

describe('a morning digest for a whole region', () => {
  it(
    "keeps every item of one recipient's digest, even " + 'when it holds more than 16,384 (4 parameters each)',
    async () => {
      const t = await seedTrajectory(db, thisMonday(), welslagenTemplate());
      const day = addDays(thisMonday(), 1);
      const items = Array.from({ length: 20_000 }, (_, i) => ({
        trajectory_id: t.trajectoryId,
        kind: 'attendance',
        subject: `item-${i}`,
      }));
      const id = await enqueueMail(db, mail(t.employerId, day), items);
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('outbox_item')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('outbox_id', '=', id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count()).toBe(20_000);
      // Composed again the same morning while still queued: brought up to date, in one transaction.
      expect(await enqueueMail(db, mail(t.employerId, day), items.slice(0, 17_000))).toBe(id);
      expect(await count()).toBe(17_000);
    },
  );

  it('writes a digest whole or not at all, even when it goes to PostgreSQL in slices', async () => {
    const t = await seedTrajectory(db, thisMonday(), welslagenTemplate());
    const day = addDays(thisMonday(), 2);
    // The last slice refers to a trajectory that does not exist: the slices before it must not stay.
    const items = Array.from({ length: 3_000 }, (_, i) => ({
      trajectory_id: i < 2_999 ? t.trajectoryId : randomUUID(),
      kind: 'attendance',
      subject: `item-${i}`,
    }));
    const m = mail(t.employerId, day);
    await expect(enqueueMail(db, m, items)).rejects.toThrow(/foreign key/);
    expect(await db.selectFrom('outbox').select('id').where('key', '=', m.key).execute()).toEqual([]);
    expect(await db.selectFrom('outbox_item').select('subject').where('outbox_id', '=', m.id).execute()).toEqual([]);
  });

  it('looks up what was sent before for more trajectories than one statement has parameters', async () => {
    const ids = Array.from({ length: 70_000 }, () => randomUUID());
    expect(await remindersSentBefore(db, ids, addDays(thisMonday(), 1))).toEqual([]);
    expect((await alreadyRaised(db, ids)).size).toBe(0);
  });
});
