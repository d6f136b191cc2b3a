// The pages' forms under the API's rules for text (web/form-text.ts): a BSN in a free-text field, in any notation,
// is refused with a Dutch page naming the field, and nothing is stored; damaged text (U+FFFD, an encoded lone
// surrogate, a body declared in another charset) likewise; a harmless text is saved. No browser: a school's
// contact signs in by the mailed link and posts the closure form with the session cookie and CSRF token, as a
// browser without JavaScript would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markInvited } from '../db/web-sessions';
import { startTestApi, type TestApi } from './helpers/api';
import { uniqueId } from './helpers/fixtures';
import { addContact, seedPartners } from './helpers/partners';

let api: TestApi;
let schoolId: string;
/** The cookies the browser keeps (session and CSRF secret), by name. */
const jar = new Map<string, string>();

const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function request(method: 'GET' | 'POST', url: string, body?: string, contentType?: string) {
  const res = await api.app.inject({
    method,
    url,
    headers: {
      host: 'toeleiding.test',
      cookie: cookieHeader(),
      ...(body !== undefined
        ? {
            'content-type': contentType ?? 'application/x-www-form-urlencoded',
            referer: `http://toeleiding.test${url}`,
          }
        : {}),
    },
    payload: body,
  });
  for (const c of res.cookies as { name: string; value: string }[]) jar.set(c.name, c.value);
  return res;
}

const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A BSN of nine random digits passing the elfproef, written with dots as people do ("1234.56.782"). */
function dottedBsn(): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
    const check = d.reduce((acc, x, i) => acc + x * (9 - i), 0) % 11;
    if (check > 9 || d.every((x) => x === 0)) continue;
    const s = [...d, check].join('');
    return `${s.slice(0, 4)}.${s.slice(4, 6)}.${s.slice(6)}`;
  }
}

const closures = (name: string) =>
  api.db
    .selectFrom('school_closure')
    .select('name')
    .where('school_id', '=', schoolId)
    .where('name', '=', name)
    .execute();
const storedNames = async () =>
  (await api.db.selectFrom('school_closure').select('name').where('school_id', '=', schoolId).execute()).map(
    (r) => r.name,
  );

/** Posts the closure form of the school with a fresh CSRF token; `raw` is the urlencoded body after the token. */
async function postClosure(raw: string, contentType?: string) {
  const url = `/organisaties/${schoolId}/sluitingen`;
  const token = csrfIn((await request('GET', url)).body);
  return request('POST', url, `_csrf=${encodeURIComponent(token)}&${raw}`, contentType);
}

beforeAll(async () => {
  api = await startTestApi();
  const partners = await seedPartners(api.call);
  schoolId = partners.schoolId;
  const contact = await addContact(api.call, schoolId, 'roc_coordinator', 'Roosmarijn de Wit');
  await markInvited(api.db, contact.id);
  // Signing in as a person does: ask for a link, open it, press the button.
  const asked = await request('GET', '/inloggen');
  await request('POST', '/inloggen', form({ _csrf: csrfIn(asked.body), email: contact.email }));
  const mail = await api.db
    .selectFrom('dev_mailbox')
    .select('text')
    .where('recipient', '=', contact.email)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const link = /\/inloggen\/\S+/.exec(mail.text)![0];
  const opened = await request('GET', link);
  const signedIn = await request('POST', link, form({ _csrf: csrfIn(opened.body) }));
  expect(signedIn.statusCode).toBe(303);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe("a page's form", () => {
  it('refuses a BSN in dotted notation with a Dutch page naming the field, and stores nothing', async () => {
    const name = `Studiedag ${dottedBsn()} ${uniqueId('x').replace(/[^a-z]/g, '')}`;
    const res = await postClosure(form({ formKey: uniqueId('k'), naam: name, van: '2027-03-01', tot: '2027-03-02' }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    // What the person reads: which field, what is wrong, and that nothing was saved.
    expect(res.body).toContain('In het veld ‘Naam’ staat een burgerservicenummer (BSN).');
    expect(res.body).toContain('Er is niets opgeslagen.');
    expect(res.body).toContain(`href="/organisaties/${schoolId}/sluitingen"`);
    // The number is not echoed back.
    expect(res.body).not.toContain(name.split(' ')[1]);
    expect(await closures(name)).toEqual([]);
  });

  it('refuses damaged text: U+FFFD, an encoded lone surrogate, bytes that are no UTF-8, another charset', async () => {
    const before = await storedNames();
    const dates = '&van=2027-04-01&tot=2027-04-02';
    for (const [raw, contentType] of [
      [`formKey=${uniqueId('k')}&naam=Studiedag%EF%BF%BDvoorjaar${dates}`, undefined],
      [`formKey=${uniqueId('k')}&naam=Studiedag%ED%A0%80voorjaar${dates}`, undefined],
      [`formKey=${uniqueId('k')}&naam=Studiedag%E9voorjaar${dates}`, undefined],
      [
        `formKey=${uniqueId('k')}&naam=Studiedag%E9voorjaar${dates}`,
        'application/x-www-form-urlencoded; charset=iso-8859-1',
      ],
    ] as const) {
      const res = await postClosure(raw, contentType);
      expect(res.statusCode, raw).toBe(400);
      expect(res.body, raw).toContain('niet kan worden gelezen of bewaard');
      expect(res.body, raw).toContain('Er is niets opgeslagen.');
    }
    // Raw bytes that are no UTF-8 (0xE9, Latin-1's é, unescaped in the body).
    const token = csrfIn((await request('GET', `/organisaties/${schoolId}/sluitingen`)).body);
    const res = await api.app.inject({
      method: 'POST',
      url: `/organisaties/${schoolId}/sluitingen`,
      headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: Buffer.concat([
        Buffer.from(`_csrf=${encodeURIComponent(token)}&formKey=${uniqueId('k')}&naam=Studiedag`),
        Buffer.from([0xe9]),
        Buffer.from(dates),
      ]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Het veld ‘Naam’ bevat een teken');
    const after = await storedNames();
    expect(after).toEqual(before);
    expect(after.some((n) => n.includes('\ufffd'))).toBe(false);
  });

  it('saves a harmless text, numbers that are no BSN and accented letters included', async () => {
    // Nine digits failing the elfproef, a date, a postcode: not a BSN.
    const name = `Studiedag één 123456789 ${uniqueId('x').replace(/[^a-z]/g, '')}`;
    const res = await postClosure(form({ formKey: uniqueId('k'), naam: name, van: '2027-05-03', tot: '2027-05-04' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Gepubliceerd');
    expect(await closures(name)).toEqual([{ name }]);
  });
});
