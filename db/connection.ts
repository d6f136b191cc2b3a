// Opens the database: PostgreSQL through pg when a URL is given, otherwise an in-process PGlite.
import { mkdirSync } from 'node:fs';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import type { Database } from './schema';

// DATE stays a 'YYYY-MM-DD' string: a JS Date would shift it by the server's time zone. BIGINT counts
// (count(*)) become numbers; they never get near 2^53 here.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;

/** `column = any($1)`: a list of any length as one parameter (an `in` list over 65,535 values breaks the protocol). */
export const anyOf = (values: readonly string[]) => sql<string>`any(${values as string[]}::text[])`;

/**
 * Runs `write` on consecutive slices of `rows`: one statement carries at most 65,535 parameters, so a
 * multi-row insert of many rows (a cohort, a ROC's digest for thousands of trajectories) goes in parts.
 */
export async function inSlices<T>(
  rows: readonly T[],
  size: number,
  write: (slice: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export function connectPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (a restart, a failover) is reported here; unheard, the 'error'
  // event would end the process. The pool drops that connection and opens a new one when next needed.
  pool.on('error', (e) =>
    console.warn(`database: an idle connection was closed (${e.message.split('\n')[0]}); it will be replaced`),
  );
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens (and creates) a PGlite data folder; `dataDir` undefined means in memory. */
export async function openPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir, {
    parsers: { [pgliteTypes.DATE]: (v: string) => v, [pgliteTypes.INT8]: (v: string) => Number(v) },
  });
}

export function connectPglite(pglite: PGlite): Db {
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
}
