// A throwaway PostgreSQL database per test run: DATABASE_URL's server, else 127.0.0.1:5432.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';

export const adminUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createThrowawayDatabase(migrate = true) {
  const name = `toeleiding_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  if (migrate) {
    const db = connectPostgres(url.toString(), 1);
    await migrateToLatest(db);
    await db.destroy();
  }
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      // A pool that was just ended may still be closing its sockets; forcing the drop then would hit those
      // clients with a FATAL they no longer listen for. Wait (briefly) until the sessions are gone.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
