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
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
