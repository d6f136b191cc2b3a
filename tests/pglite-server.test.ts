// The embedded database served to several processes: concurrent parameterised queries from many
// connections each get their own answer (pglite-socket's own queue interleaves them).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite } from '../db/connection';
import { servePglite } from '../db/pglite-server';

let pglite: PGlite;
let server: PGLiteSocketServer;
let pool: pg.Pool;

beforeAll(async () => {
  pglite = await openPglite();
  server = await servePglite(pglite);
  pool = new pg.Pool({ connectionString: `postgres://postgres@${server.getServerConn()}/postgres`, max: 4 });
  await pool.query('create table t (id int primary key, v text not null)');
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await pglite?.close();
});

describe('the embedded database server', () => {
  it('keeps each connection\'s parameterised queries together under concurrency (the library\'s own queue fails this)', async () => {
    // Inserts, selects with a different number of parameters, and short transactions, all at once: with
    // pglite-socket's message queue about a quarter of these fail or bind another connection's statement.
    await pool.query('create table mixed (id serial primary key, v text not null, n int)');
    const errors: string[] = [];
    await Promise.all(Array.from({ length: 600 }, async (_, i) => {
      try {
        if (i % 3 === 0) {
          const r = await pool.query<{ n: number }>('insert into mixed (v, n) values ($1, $2) returning n', [`v${i}`, i]);
          if (r.rows[0]!.n !== i) errors.push(`insert ${i} answered ${r.rows[0]!.n}`);
        } else if (i % 3 === 1) {
          const r = await pool.query<{ a: number; b: string }>('select $1::int as a, $2::text as b, $3::int as c', [i, `x${i}`, i + 1]);
          if (r.rows[0]!.a !== i || r.rows[0]!.b !== `x${i}`) errors.push(`select ${i} answered ${JSON.stringify(r.rows[0])}`);
        } else {
          const c = await pool.connect();
          try {
            await c.query('begin');
            await c.query('update mixed set v = $1 where n = $2', ['u', i - 2]);
            await c.query('commit');
          } finally {
            c.release();
          }
        }
      } catch (e) {
        errors.push(`${i}: ${(e as Error).message}`);
      }
    }));
    expect(errors).toEqual([]);
    expect(Number((await pool.query('select count(*) as n from mixed')).rows[0].n)).toBe(200);
  });

  it('keeps transactions of concurrent connections apart', async () => {
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        await c.query('insert into t (id, v) values ($1, $2)', [i, `v${i}`]);
        if (i % 4 === 0) await c.query('rollback');
        else await c.query('commit');
      } finally {
        c.release();
      }
    }));
    const { rows } = await pool.query<{ id: number }>('select id from t order by id');
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 4 !== 0));
  });
});
