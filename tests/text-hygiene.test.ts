// Text hygiene: a BSN is refused in every free-text field however it is written (generated notations: any
// grouping, any mix of separators, the digits of other scripts, invisible characters), is never kept in clear
// from a header (Idempotency-Key, x-request-id) or a log line, and numbers that are not a BSN (phone numbers,
// postcodes, dates, nine digits failing the elfproef) are still accepted. Malformed text (invalid UTF-8, a body
// in another charset, lone surrogates, U+FFFD, broken %-escapes) gets 400 naming the problem, and none of it is
// stored.
//
// The file has a database of its own, so that a pg_dump of it shows everything these requests could have left.
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import { BSN_LEAK_MESSAGE } from '../api/bsn';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { ADMIN_TOKEN } from './helpers/app';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { seedPartners, type Call, type Partners } from './helpers/partners';

const SEED = 20_260_515;

let api: TestApi;
let app: App;
let db: Db;
let call: Call;
let partners: Partners;
let trajectoryId: string;
const logLines: string[] = [];
/** Every BSN (its nine ASCII digits) and every notation of one sent, to be searched for afterwards. */
const sent = new Set<string>();

beforeAll(async () => {
  api = await startTestApi({
    ownDatabase: true,
    deps: (base) => ({
      config: { ...base.config, LOG_LEVEL: 'trace' },
      logStream: new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    }),
  });
  ({ app, db, call } = api);
  partners = await seedPartners(call, 'Tekst');
  const launched = await call(
    'POST',
    '/v1/cohorts',
    cohortRequest({ ...partners, size: 1, startDate: addDays(thisMonday(), -7) }),
  );
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  trajectoryId = launched.json.trajectories[0].id;
});

afterAll(async () => {
  await api?.close();
});

// ---------------------------------------------------------------------------------------------------------
// Generated BSNs and their notations. The elfproef is written out again here, apart from api/bsn.ts.

const weightedSum = (d: number[]) => d.slice(0, 8).reduce((acc, x, i) => acc + x * (9 - i), 0) - d[8]!;

/** Nine digits passing the elfproef: eight generated, the ninth fixed to fit (skipped when none does). */
const bsnDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .map((d) => [...d, d.slice(0, 8).reduce((acc, x, i) => acc + x * (9 - i), 0) % 11])
  .filter((d) => d[8]! < 10 && d.some((x) => x > 0));
/** Nine digits failing it. */
const notBsnDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .filter((d) => weightedSum(d) % 11 !== 0);

/** The zero of each script's decimal digits; NFKC maps the first two to ASCII, the others only by their value. */
const SCRIPTS = {
  ascii: 0x30,
  fullwidth: 0xff10,
  mathBold: 0x1d7ce,
  arabicIndic: 0x660,
  persian: 0x6f0,
  devanagari: 0x966,
  bengali: 0x9e6,
  thai: 0xe50,
};
type Script = keyof typeof SCRIPTS;
const SEPARATORS = [
  ' ',
  '.',
  '-',
  '/',
  '_',
  '–',
  '—',
  ' - ',
  ' / ',
  '. ',
  '\u00a0',
  '\u2009',
  '\u202f',
  '\u200b',
  '\u00ad',
  ' \u00a0',
];
/** What fits in a reference, an id or an e-mail address. */
const PLAIN_SEPARATORS = ['.', '-', '_'];

interface Notation {
  digits: string;
  text: string;
}

/** The digits cut into groups with a separator between each (each its own, so mixed), each digit in some script. */
function notation(digits: fc.Arbitrary<number[]>, o: { plain?: boolean } = {}): fc.Arbitrary<Notation> {
  const seps = o.plain ? PLAIN_SEPARATORS : SEPARATORS;
  const scripts: Script[] = o.plain ? ['ascii'] : (Object.keys(SCRIPTS) as Script[]);
  return fc
    .record({
      d: digits,
      cuts: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      seps: fc.array(fc.constantFrom(...seps), { minLength: 8, maxLength: 8 }),
      script: fc.constantFrom(...scripts),
      mixed: fc.array(fc.constantFrom(...scripts), { minLength: 9, maxLength: 9 }),
      mix: fc.boolean(),
    })
    .map(({ d, cuts, seps: between, script, mixed, mix }) => ({
      digits: d.join(''),
      text: d
        .map(
          (x, i) => String.fromCodePoint(SCRIPTS[mix ? mixed[i]! : script] + x) + (i < 8 && cuts[i] ? between[i] : ''),
        )
        .join(''),
    }));
}

// ---------------------------------------------------------------------------------------------------------
// Where people type: each target puts a text into one field of a request that is otherwise valid.

interface Target {
  label: string;
  field: string;
  plain?: boolean;
  request: (text: string) => { url: string; body: unknown };
}

const today = () => localDate(Date.now());
const TARGETS: Target[] = [
  {
    label: 'organisation name',
    field: 'name',
    request: (t) => ({ url: '/v1/organisations', body: { name: `Zorggroep ${t}`, kind: 'employer', region: 'Tekst' } }),
  },
  {
    label: 'organisation region',
    field: 'region',
    request: (t) => ({ url: '/v1/organisations', body: { name: 'Zorggroep Oost', kind: 'employer', region: t } }),
  },
  {
    label: 'organisation id',
    field: 'id',
    plain: true,
    request: (t) => ({ url: '/v1/organisations', body: { id: `emp-${t}`, name: 'Zorggroep Noord', kind: 'employer' } }),
  },
  {
    label: 'contact name',
    field: 'name',
    request: (t) => ({
      url: `/v1/organisations/${partners.officeId}/contacts`,
      body: { role: 'jobcoach', name: `Jan (${t})`, email: 'jan@example.nl' },
    }),
  },
  {
    label: 'contact e-mail',
    field: 'email',
    plain: true,
    request: (t) => ({
      url: `/v1/organisations/${partners.officeId}/contacts`,
      body: { role: 'jobcoach', name: 'Jan', email: `jan.${t}@example.nl` },
    }),
  },
  {
    label: 'key label',
    field: 'label',
    request: (t) => ({
      url: '/v1/api-keys',
      body: { organisationId: partners.employerIds[0], role: 'employer', label: `sleutel ${t}` },
    }),
  },
  {
    label: 'checkpoint note',
    field: 'note',
    request: (t) => ({
      url: `/v1/trajectories/${trajectoryId}/checkpoints`,
      body: { key: 'intake', status: 'concerns', note: `Deelnemer (BSN ${t}) mist de bus`, trainerConfirmed: true },
    }),
  },
  {
    label: 'pause reason',
    field: 'reason',
    request: (t) => ({
      url: `/v1/trajectories/${trajectoryId}/changes`,
      body: { type: 'pause', from: today(), reason: `ziek, bsn:${t}` },
    }),
  },
  {
    label: 'extension reason',
    field: 'reason',
    request: (t) => ({
      url: `/v1/trajectories/${trajectoryId}/changes`,
      body: { type: 'extension', weeks: 1, reason: `${t} heeft meer tijd nodig` },
    }),
  },
  {
    label: 'correction reason',
    field: 'entries[0].correctionReason',
    request: (t) => ({
      url: `/v1/trajectories/${trajectoryId}/attendance`,
      body: { entries: [{ date: today(), kind: 'placement', present: true, correctionReason: `verkeerd: ${t}` }] },
    }),
  },
  {
    label: 'participant name',
    field: 'participants[0].name',
    request: (t) => {
      const body = cohortRequest({ ...partners, size: 1 });
      body.participants[0]!.name = `Deelnemer ${t}`;
      return { url: '/v1/cohorts', body };
    },
  },
  {
    label: 'participant reference',
    field: 'participants[0].reference',
    plain: true,
    request: (t) => {
      const body = cohortRequest({ ...partners, size: 1 });
      body.participants[0]!.reference = `ref-${t}`;
      return { url: '/v1/cohorts', body };
    },
  },
];

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': uniqueId('text'), ...headers },
    payload: body as object,
  });

describe('a BSN in any notation', () => {
  it('is refused in every free-text field with 422 naming the field, without repeating it', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...TARGETS)
          .chain((target) => notation(bsnDigits, { plain: target.plain }).map((n) => ({ target, n }))),
        async ({ target, n }) => {
          sent.add(n.digits).add(n.text);
          const { url, body } = target.request(n.text);
          const res = await post(url, body);
          expect(res.statusCode, `${target.label} ${JSON.stringify(n.text)}: ${res.body}`).toBe(422);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.json().errors).toEqual([{ field: target.field, message: BSN_LEAK_MESSAGE }]);
          expect(res.body).not.toContain(n.digits);
          expect(res.body).not.toContain(n.text);
          seen.set(target.label, (seen.get(target.label) ?? 0) + 1);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
    // Every target was tried.
    expect([...seen.keys()].sort()).toEqual(TARGETS.map((t) => t.label).sort());
  });

  it('is found in each script and each separator on its own, and in a BSN given as a number', async () => {
    const digits = '736160231';
    for (const [script, zero] of Object.entries(SCRIPTS)) {
      const text = [...digits].map((d) => String.fromCodePoint(zero + Number(d))).join('');
      sent.add(text);
      expect((await post('/v1/organisations', { name: `Naam ${text}`, kind: 'employer' })).statusCode, script).toBe(
        422,
      );
    }
    for (const sep of SEPARATORS) {
      const text = `${digits.slice(0, 3)}${sep}${digits.slice(3, 6)}${sep}${digits.slice(6)}`;
      sent.add(text);
      expect(
        (await post('/v1/organisations', { name: `Naam ${text}`, kind: 'employer' })).statusCode,
        JSON.stringify(sep),
      ).toBe(422);
    }
    sent.add(digits);
  });

  it(
    'leaves numbers that are not a BSN alone: nine digits failing the elfproef, phone numbers, postcodes, ' +
      'dates, amounts',
    async () => {
      await fc.assert(
        fc.asyncProperty(notation(notBsnDigits), async (n) => {
          const res = await post('/v1/organisations', { name: `Zorggroep ${n.text}`, kind: 'employer' });
          expect(res.statusCode, `${JSON.stringify(n.text)}: ${res.body}`).toBe(201);
        }),
        { seed: SEED, numRuns: 60 },
      );
      const note =
        'Bel 06-12345678 of +31 6 12345678 of 0612345678; postcode ' +
        '4811 AB Breda; gesprek 04-05-2026 om 10:30 (2026-05-04); ' +
        'dossier 736160232; IBAN NL91 ABNA 0417 1643 00; KvK 12345678; € 1.234,56';
      const res = await post(`/v1/trajectories/${trajectoryId}/checkpoints`, {
        key: 'intake',
        status: 'on_track',
        note,
        trainerConfirmed: true,
      });
      expect(res.statusCode, res.body).toBe(200);
    },
  );
});

describe('a BSN in a header', () => {
  it('in an Idempotency-Key is kept only as a keyed hash, and a repeat still replays', async () => {
    await fc.assert(
      fc.asyncProperty(notation(bsnDigits, { plain: true }), fc.constantFrom('', ' ', '\u00a0'), async (n, space) => {
        const key = `partner-key-${n.text.replaceAll('.', space || '.')}`;
        sent.add(n.digits).add(n.text).add(key);
        const body = { name: 'Zorggroep Idempotent', kind: 'employer' };
        const first = await post('/v1/organisations', body, { 'idempotency-key': key });
        expect(first.statusCode, first.body).toBe(201);
        const again = await post('/v1/organisations', body, { 'idempotency-key': key });
        expect(again.statusCode).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.json().id).toBe(first.json().id);
      }),
      { seed: SEED, numRuns: 20 },
    );
    const keys = (await db.selectFrom('idempotency_key').select('key').execute()).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('bsn-hmac-')).length).toBeGreaterThanOrEqual(20);
    for (const k of keys) expect(k).not.toMatch(/partner-key/);
  });

  it(
    'in an x-request-id is replaced by its keyed hash: ' + 'in the response, the audit log and every log line',
    async () => {
      await fc.assert(
        fc.asyncProperty(notation(bsnDigits, { plain: true }), async (n) => {
          const header = `trace ${n.text}`;
          sent.add(n.digits).add(n.text).add(header);
          const get = () =>
            app.inject({
              method: 'GET',
              url: `/v1/trajectories/${trajectoryId}`,
              headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': header },
            });
          const res = await get();
          expect(res.statusCode, res.body).toBe(200);
          const id = res.headers['x-request-id'] as string;
          expect(id).toMatch(/^bsn-hmac-[0-9a-f]{40}$/);
          // The same header gives the same id, so the caller can still find its request.
          expect((await get()).headers['x-request-id']).toBe(id);
          const audited = await db
            .selectFrom('audit_event')
            .select('request_id')
            .where('request_id', '=', id)
            .execute();
          expect(audited.length).toBeGreaterThanOrEqual(2);
        }),
        { seed: SEED, numRuns: 10 },
      );
      // A caller's own id without a BSN is still kept as it is.
      const own = await app.inject({
        method: 'GET',
        url: '/health',
        headers: { 'x-request-id': 'partner-trace-736160232' },
      });
      expect(own.headers['x-request-id']).toBe('partner-trace-736160232');
    },
  );

  it(
    'in a url (path or query), or a header Fastify logs ' + '(Host, Accept-Version), does not reach a log line',
    async () => {
      const digits = '736160231';
      for (const url of [
        `/v1/audit-events?actor=${digits}`,
        '/v1/audit-events?actor=736%20160%20231',
        `/v1/trajectories/${digits}`,
        '/v1/cohorts/736.160.231',
      ]) {
        await app.inject({
          method: 'GET',
          url,
          headers: {
            authorization: `Bearer ${ADMIN_TOKEN}`,
            host: `h${digits}.example`,
            'accept-version': `v-${digits}`,
          },
        });
      }
      sent.add(digits);
    },
  );
});

describe('malformed text', () => {
  const json = (payload: string | Buffer, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'idempotency-key': uniqueId('malformed'),
        'content-type': contentType,
      },
      payload,
    });
  const problem = (res: Awaited<ReturnType<typeof json>>, field: string) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      type: '/problems/malformed-text',
      errors: [{ field, message: expect.any(String) }],
    });
  };

  it('refuses a body that is not valid UTF-8', async () => {
    for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe9], [0xf0, 0x9f, 0x98]]) {
      const payload = Buffer.concat([
        Buffer.from('{"name":"Caf'),
        Buffer.from(bad),
        Buffer.from('","kind":"employer"}'),
      ]);
      problem(await json(payload), 'body');
    }
  });

  it('refuses a body declared in another charset, and takes UTF-8 however it is declared', async () => {
    const body = Buffer.from('{"name":"Café Zuid","kind":"employer"}', 'latin1');
    for (const ct of [
      'application/json; charset=latin1',
      'application/json; charset=ISO-8859-1',
      'application/json;charset="windows-1252"',
      'application/json; charset=utf-16',
    ]) {
      problem(await json(body, ct), 'headers.content-type');
    }
    for (const ct of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=UTF-8',
      'application/json;charset="utf8"',
    ]) {
      const res = await json(Buffer.from('\ufeff{"name":"Café Zuid","kind":"employer"}'), ct);
      expect(res.statusCode, `${ct}: ${res.body}`).toBe(201);
      expect(res.json().name).toBe('Café Zuid');
    }
  });

  it('refuses JSON with a lone surrogate or U+FFFD, in a value or a key, naming where', async () => {
    problem(await json('{"name":"Caf\\ud800","kind":"employer"}'), 'name');
    problem(await json('{"name":"Caf\\udfff\\ud800 bar","kind":"employer"}'), 'name');
    problem(await json('{"name":"Caf\uFFFD","kind":"employer"}'), 'name');
    problem(await json('{"name":"Caf\\ufffd","kind":"employer"}'), 'name');
    problem(await json('{"name":"Café","kind":"employer","\\ud800":1}'), 'body');
    // A surrogate pair is one whole character.
    const res = await json('{"name":"Caf\\ud83d\\ude00","kind":"employer"}');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('Caf😀');
  });

  it('refuses a query or path with a %-escape that is not UTF-8, with 400 (not 500)', async () => {
    for (const url of [
      '/v1/organisations?kind=%C3%28',
      '/v1/organisations?kind=%ED%A0%80',
      '/v1/audit-events?actor=a%FF',
      '/v1/organisations/%C3%28',
      '/v1/organisations/%ED%A0%80',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    // Valid escapes still work.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/organisations?kind=%65mployer',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('afterwards', () => {
  it('holds no BSN sent and no U+FFFD: not in a dump of the database, not in any log line', async () => {
    expect(sent.size).toBeGreaterThan(100);
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', api.databaseUrl], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    expect(dump).toContain(trajectoryId); // the dump is the real one
    expect(dump).toContain('Café Zuid');
    expect(dump).not.toContain('\uFFFD');
    // The text in the log lines: their strings, not their numbers (a timestamp or a duration could hold nine
    // digits of a generated BSN by chance).
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const line of logLines.join('').split('\n').filter(Boolean)) walk(JSON.parse(line));
    const logs = strings.join('\n');
    expect(logLines.length).toBeGreaterThan(100);
    for (const s of sent) {
      expect(dump.includes(s), `dump holds ${JSON.stringify(s)}`).toBe(false);
      expect(logs.includes(s), `logs hold ${JSON.stringify(s)}`).toBe(false);
    }
    // The url with a BSN was logged, redacted; the one without was kept.
    expect(logs).toContain('[weggelaten: bevat een BSN]');
  });
});
