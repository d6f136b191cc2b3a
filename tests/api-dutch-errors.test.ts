// The API's errors in Dutch: with Accept-Language: nl every problem+json has Dutch words (title, detail, each
// errors[].message) and is otherwise the same answer (status, type, fields, structure); without it, English as
// always. Plus: the header is parsed properly, and every source of messages has both languages.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import { VALIDATION_NL } from '../api/errors';
import { preferredLanguage } from '../api/language';
import { refusalInDutch, refusalInEnglish, type Refusal } from '../domain/refusals';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { admin, buildApp, injectCall, testDeps, withKey } from './helpers/app';
import { cohortRequest, type CohortPartners } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';

let api: TestApi;
let app: App;
let partners: CohortPartners;
const config = () => testDeps(api.db, api.env.client).config;

beforeAll(async () => {
  api = await startTestApi();
  app = api.app;
  partners = await seedPartners(injectCall(app));
});

afterAll(async () => {
  await api?.close();
});

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
}

type Request = { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: object };

/** The same request twice: as today (no Accept-Language) and asking for Dutch. Each gets its own Idempotency-Key. */
async function bothWays(req: () => Request, dutch: Record<string, string> = { 'accept-language': 'nl' }) {
  const send = async (extra: Record<string, string>) => {
    const r = req();
    const res = await app.inject({ ...r, headers: { ...r.headers, ...extra } });
    return { res, body: res.json<Problem>() };
  };
  const en = await send({});
  const nl = await send(dutch);
  return { en, nl };
}

/** What must be the same in both languages, and what must differ. */
function expectSameProblemInDutch(
  en: { res: { statusCode: number; headers: Record<string, unknown> }; body: Problem },
  nl: typeof en,
) {
  expect(nl.res.statusCode).toBe(en.res.statusCode);
  expect(nl.body.type).toBe(en.body.type);
  expect(nl.body.status).toBe(en.body.status);
  expect(Object.keys(nl.body).sort()).toEqual(Object.keys(en.body).sort());
  expect(nl.body.errors?.map((e) => e.field)).toEqual(en.body.errors?.map((e) => e.field));
  expect(nl.res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(en.res.headers['content-language']).toBe('en');
  expect(nl.res.headers['content-language']).toBe('nl');
  for (const r of [en.res, nl.res]) expect(String(r.headers['vary'])).toMatch(/accept-language/i);
  expect(nl.body.title).not.toBe(en.body.title === 'Conflict' ? '' : en.body.title);
  expect(nl.body.detail).not.toBe(en.body.detail);
  for (const [i, e] of (en.body.errors ?? []).entries()) expect(nl.body.errors![i]!.message).not.toBe(e.message);
}

const message = (p: Problem, field: string) => p.errors?.find((e) => e.field === field)?.message;

describe('problem details in Dutch, the same answer otherwise', () => {
  it('schema validation: nested fields, each keyword worded in Dutch', async () => {
    const { en, nl } = await bothWays(() => {
      const body = cohortRequest(partners) as unknown as { participants: Record<string, unknown>[] };
      const [first, second] = body.participants;
      first!.email = 'not an address';
      delete first!.name;
      second!.shoeSize = 44;
      second!.placementWeekdays = ['monday', 'funday'];
      return { method: 'POST', url: '/v1/cohorts', headers: withKey(), payload: { ...body, startDate: '2-3-2026' } };
    });
    expect(en.res.statusCode).toBe(400);
    expectSameProblemInDutch(en, nl);
    expect(en.body.title).toBe('Invalid request');
    expect(nl.body.title).toBe('Ongeldig verzoek');
    expect(message(en.body, 'participants[0].name')).toBe('is required');
    expect(message(nl.body, 'participants[0].name')).toBe('is verplicht');
    expect(message(en.body, 'participants[1].shoeSize')).toBe('is not a known field');
    expect(message(nl.body, 'participants[1].shoeSize')).toBe('is geen bekend veld');
    expect(message(en.body, 'participants[0].email')).toMatch(/^must match format "email"/);
    expect(message(nl.body, 'participants[0].email')).toBe('moet een geldig e-mailadres zijn');
    expect(message(nl.body, 'startDate')).toMatch(/^moet een geldige datum zijn \(jjjj-mm-dd\)|^moet de vorm/);
    expect(message(nl.body, 'participants[1].placementWeekdays[1]')).toMatch(/^moet een van de toegestane waarden/);
    expect(nl.body.detail).toContain('participants[0].name: is verplicht');
  });

  it('a service-level 422: an employer not in the covenant, at a cohort launch', async () => {
    const { en, nl } = await bothWays(() => {
      const body = cohortRequest({ ...partners, size: 2 });
      body.participants[1]!.employerId = 'nobody-we-know';
      return { method: 'POST', url: '/v1/cohorts', headers: withKey(), payload: body };
    });
    expect(en.res.statusCode).toBe(422);
    expectSameProblemInDutch(en, nl);
    expect(en.body.errors).toEqual([
      { field: 'participants[1].employerId', message: `no employer nobody-we-know in covenant ${partners.covenantId}` },
    ]);
    expect(nl.body.errors).toEqual([
      {
        field: 'participants[1].employerId',
        message: `geen werkgever nobody-we-know in convenant ${partners.covenantId}`,
      },
    ]);
    expect(nl.body.title).toBe('Het verzoek kan niet worden uitgevoerd');
    expect(nl.body.detail).toBe(`participants[1].employerId: ${nl.body.errors![0]!.message}`);
  });

  it("a workflow's refusal: its fact's Dutch words", async () => {
    const launched = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers: withKey(),
      payload: cohortRequest({ ...partners, size: 1 }),
    });
    expect(launched.statusCode).toBe(201);
    const trajectoryId = launched.json<{ trajectories: { id: string }[] }>().trajectories[0]!.id;
    const later = addDays(localDate(Date.now()), 21);
    const { en, nl } = await bothWays(() => ({
      method: 'POST',
      url: `/v1/trajectories/${trajectoryId}/attendance`,
      headers: withKey(),
      payload: { entries: [{ date: later, kind: 'placement', present: true }] },
    }));
    expect(en.res.statusCode).toBe(422);
    expectSameProblemInDutch(en, nl);
    const fact: Refusal = { code: 'in_future', params: { date: later } };
    expect(en.body.errors).toEqual([{ field: 'entries[0].date', message: refusalInEnglish(fact) }]);
    expect(nl.body.errors).toEqual([{ field: 'entries[0].date', message: refusalInDutch(fact) }]);
  });

  it('404: an unknown cohort, an unknown route, a trailing slash', async () => {
    const id = randomUUID();
    for (const url of [`/v1/cohorts/${id}`, '/v1/no-such-thing', '/v1/cohorts/']) {
      const { en, nl } = await bothWays(() => ({ method: 'GET', url, headers: admin }));
      expect(en.res.statusCode).toBe(404);
      expectSameProblemInDutch(en, nl);
      expect(en.body.title).toBe('Not found');
      expect(nl.body.title).toBe('Niet gevonden');
    }
    const { nl } = await bothWays(() => ({ method: 'GET', url: `/v1/cohorts/${id}`, headers: admin }));
    expect(nl.body.detail).toBe(`cohort ${id} bestaat niet of is niet zichtbaar voor u`);
  });

  it('401: no token', async () => {
    const { en, nl } = await bothWays(() => ({ method: 'GET', url: '/v1/cohorts' }));
    expect(en.res.statusCode).toBe(401);
    expectSameProblemInDutch(en, nl);
    expect(nl.body.title).toBe('Niet aangemeld');
    expect(nl.res.headers['www-authenticate']).toBe('Bearer');
  });

  it('409: an id taken with other details; 422: an Idempotency-Key reused with another body', async () => {
    const id = `org-${randomUUID()}`;
    const created = await app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: withKey(),
      payload: { id, name: 'Bakkerij De Korenaar', kind: 'employer' },
    });
    expect(created.statusCode).toBe(201);
    const taken = await bothWays(() => ({
      method: 'POST',
      url: '/v1/organisations',
      headers: withKey(),
      payload: { id, name: 'Bakkerij Het Korenaartje', kind: 'employer' },
    }));
    expect(taken.en.res.statusCode).toBe(409);
    expectSameProblemInDutch(taken.en, taken.nl);
    expect(taken.nl.body.detail).toBe(`Er is al een organisatie met id ${id}, met andere gegevens`);

    const headers = withKey();
    await app.inject({ method: 'POST', url: '/v1/organisations', headers, payload: { name: 'UWV', kind: 'uwv' } });
    const reused = await bothWays(() => ({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: { name: 'Gemeente Breda', kind: 'gemeente' },
    }));
    expect(reused.en.res.statusCode).toBe(422);
    expectSameProblemInDutch(reused.en, reused.nl);
    expect(reused.nl.body.errors).toEqual([
      { field: 'headers.idempotency-key', message: 'is eerder gebruikt met een andere body' },
    ]);
  });

  it('400s before any route: JSON that does not parse, a body in another charset, a broken %-escape', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: [() => Request, RegExp][] = [
      [
        () => ({
          method: 'POST',
          url: '/v1/organisations',
          headers: { ...withKey(), ...json },
          payload: '{"name":' as never,
        }),
        /^De body is geen geldige JSON/,
      ],
      [
        () => ({
          method: 'POST',
          url: '/v1/organisations',
          headers: { ...withKey(), 'content-type': 'application/json; charset=latin1' },
          payload: '{"name":"Caf\u00e9","kind":"employer"}' as never,
        }),
        /^headers\.content-type: noemt tekenset "latin1"/,
      ],
      [() => ({ method: 'GET', url: '/v1/cohorts/%E0%A4%A', headers: admin }), /URL/],
    ];
    for (const [req, dutch] of cases) {
      const { en, nl } = await bothWays(req);
      expect(en.res.statusCode).toBe(400);
      expectSameProblemInDutch(en, nl);
      expect(nl.body.detail).toMatch(dutch);
    }
  });

  it('429: too many requests for a key', async () => {
    const limited = await buildApp(
      testDeps(api.db, api.env.client, { config: { ...config(), RATE_LIMIT_PER_MINUTE: 1 } }),
    );
    try {
      const get = (headers: Record<string, string>) =>
        limited.inject({ method: 'GET', url: '/v1/cohorts', headers: { ...admin, ...headers } });
      expect((await get({})).statusCode).toBe(200);
      const en = await get({});
      const nl = await get({ 'accept-language': 'nl-NL' });
      const [a, b] = [
        { res: en, body: en.json<Problem>() },
        { res: nl, body: nl.json<Problem>() },
      ];
      expect(en.statusCode).toBe(429);
      expectSameProblemInDutch(a, b);
      expect(b.body.title).toBe('Te veel verzoeken');
      expect(b.body.detail).toMatch(/^Hoogstens 1 verzoeken per minuut per sleutel/);
      expect(nl.headers['retry-after'] ?? nl.headers['x-ratelimit-reset']).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('a BSN that fails the elfproef, in either language, without echoing it', async () => {
    const { en, nl } = await bothWays(() => {
      const body = cohortRequest({ ...partners, size: 1 });
      body.participants[0]!.bsn = '123456789';
      return { method: 'POST', url: '/v1/cohorts', headers: withKey(), payload: body };
    });
    expect(en.res.statusCode).toBe(422);
    expectSameProblemInDutch(en, nl);
    expect(message(nl.body, 'participants[0].bsn')).toBe('is geen geldig BSN (het voldoet niet aan de elfproef)');
    expect(JSON.stringify(nl.body)).not.toContain('123456789');
  });

  it('English stays as it was: no header, en, a language the API does not speak, or nl refused with q=0', async () => {
    const url = `/v1/cohorts/${randomUUID()}`;
    const plain = await app.inject({ method: 'GET', url, headers: admin });
    for (const language of ['en', 'en-GB', 'de', 'nl;q=0, en', 'nl;q=0.2, en;q=0.8', '*']) {
      const res = await app.inject({ method: 'GET', url, headers: { ...admin, 'accept-language': language } });
      const { requestId: _a, ...body } = res.json<Problem>();
      const { requestId: _b, ...before } = plain.json<Problem>();
      expect(body, language).toEqual(before);
      expect(res.headers['content-language'], language).toBe('en');
    }
    expect(plain.json<Problem>().detail).toMatch(/does not exist or is not visible to you$/);
  });

  it('Dutch for nl-NL, nl-BE and a weighted list that puts Dutch first', async () => {
    const url = `/v1/cohorts/${randomUUID()}`;
    for (const language of ['nl-NL', 'nl-BE', 'en;q=0.5, nl;q=0.9', 'nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7']) {
      const res = await app.inject({ method: 'GET', url, headers: { ...admin, 'accept-language': language } });
      expect(res.json<Problem>().title, language).toBe('Niet gevonden');
      expect(res.headers['content-language'], language).toBe('nl');
    }
  });
});

describe('Accept-Language', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['nl', 'nl'],
    ['NL', 'nl'],
    ['nl-NL', 'nl'],
    ['en', 'en'],
    ['en-US,en;q=0.9,nl;q=0.8', 'en'],
    ['nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7', 'nl'],
    ['en;q=0.5, nl;q=0.9', 'nl'],
    ['en;q=0.9, nl;q=0.5', 'en'],
    ['nl, en', 'nl'],
    ['en, nl', 'en'],
    ['de, fr;q=0.9, nl;q=0.5', 'nl'],
    ['de', 'en'],
    ['nl;q=0', 'en'],
    ['nl;q=0, *', 'en'],
    ['*', 'en'],
    ['de, *;q=0.5', 'en'],
    ['en;q=0, *', 'nl'],
    ['nl;q=abc, en', 'en'],
    ['nl;q=2', 'en'],
    ['nl-BE;q=0.8, en;q=0.7', 'nl'],
    ['  nl ; q=0.8 , en ; q=0.7 ', 'nl'],
    [['en;q=0.1', 'nl'], 'nl'],
  ])('%j → %s', (header, language) => {
    expect(preferredLanguage(header as string | string[] | undefined)).toBe(language);
  });
});

/** The keywords with which Ajv can refuse a value (draft 2019-09/2020-12, and Ajv's formats' limits). */
const AJV_CHECKS = (
  'type required additionalProperties unevaluatedProperties dependentRequired dependencies format enum const ' +
  'minLength maxLength pattern minimum maximum exclusiveMinimum exclusiveMaximum multipleOf minItems maxItems ' +
  'uniqueItems minProperties maxProperties propertyNames anyOf oneOf not if contains minContains maxContains ' +
  'formatMinimum formatMaximum formatExclusiveMinimum formatExclusiveMaximum'
).split(' ');

describe('every source of messages has both languages', () => {
  /** Every keyword (and format) the API's schemas validate with, from the OpenAPI document. */
  function keywordsOf(node: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(node)) node.forEach((n) => keywordsOf(n, out));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' || k === 'patternProperties') {
          if (k === 'patternProperties') out.add('additionalProperties');
          Object.values(v as object).forEach((s) => keywordsOf(s, out));
          continue;
        }
        if (k === 'format') out.add(`format:${String(v)}`);
        out.add(k);
        keywordsOf(v, out);
      }
    }
    return out;
  }

  it('schema validation: a Dutch wording for each keyword the schemas use, and each format', () => {
    const doc = (app as unknown as { swagger(): unknown }).swagger() as { paths: object; components: object };
    const used = keywordsOf([doc.paths, doc.components]);
    // The walk finds what the schemas are made of (a check of the check).
    for (const k of ['type', 'required', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'maxItems'])
      expect(used.has(k), k).toBe(true);
    const missing = AJV_CHECKS.filter((k) => used.has(k) && !(k in VALIDATION_NL));
    expect(missing).toEqual([]);
    // Each format the schemas use has its own Dutch words, not the fallback.
    const formats = [...used].filter((k) => k.startsWith('format:')).map((k) => k.slice('format:'.length));
    expect(formats).toContain('date-time');
    for (const format of formats) expect(VALIDATION_NL.format!({ format }), format).not.toMatch(/de vorm "/);
  });

  it('the refusals: each fact in English and in Dutch', () => {
    // Every code in domain/refusals.ts, read from its table; each worded with figures of every kind it may need.
    const source = readFileSync(join(__dirname, '../domain/refusals.ts'), 'utf8');
    const table = source.slice(
      source.indexOf('const REFUSALS = {'),
      source.indexOf('\n};', source.indexOf('const REFUSALS = {')),
    );
    const codes = [...table.matchAll(/^ {2}([a-z_]+): \(/gm)].map((m) => m[1]!);
    expect(codes).toContain('in_future');
    expect(codes.length).toBeGreaterThan(20);
    const params = {
      date: '2026-03-02',
      from: '2026-03-02',
      after: '2026-03-02',
      status: 'active',
      kind: 'school',
      reason: 'feestdag',
      key: 'intake',
      days: 14,
      week: 16,
      role: 'jobcoach',
      allowed: ['programme_office'],
    };
    for (const code of codes) {
      const fact = { code, params } as unknown as Refusal;
      const [en, nl] = [refusalInEnglish(fact), refusalInDutch(fact)];
      expect(en, code).toMatch(/\S/);
      expect(nl, code).toMatch(/\S/);
      expect(nl, code).not.toBe(en);
      expect(nl, code).not.toContain('undefined');
    }
  });

  it("every error the API's code makes names its words in both languages (no English-only string)", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    for (const file of [...files(join(root, 'api')), ...files(join(root, 'domain'))]) {
      if (file.endsWith(join('api', 'errors.ts'))) continue;
      const text = readFileSync(file, 'utf8');
      // notFound(…), conflict(…), forbidden(…) take a Text: says(en, nl). A plain string is English only.
      for (const m of text.matchAll(/\b(notFound|conflict|forbidden)\((?!\s*says\()(?!\s*\))/g))
        offenders.push(`${file.slice(root.length)}: ${text.slice(m.index, m.index + 60).split('\n')[0]}`);
      // new DomainError(status, type, title, detail, …): the title a Text.
      for (const m of text.matchAll(/new DomainError\([^,]+,[^,]+,(?!\s*says\()/g))
        offenders.push(`${file.slice(root.length)}: ${text.slice(m.index, m.index + 60).split('\n')[0]}`);
    }
    expect(offenders).toEqual([]);
  });
});
