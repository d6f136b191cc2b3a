// `npm run migrate`: brings DATABASE_URL's schema to the latest migration (run as a job before a deploy).
import { connectPostgres } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { loadConfig } from './config';
import { requireDatabaseUrl } from './process';

const db = connectPostgres(requireDatabaseUrl(loadConfig()));
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
} finally {
  await db.destroy();
}
