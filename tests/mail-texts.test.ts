// The Dutch texts of the morning digest: pure functions from a digest to one mail, checked without a database.
import { describe, expect, it } from 'vitest';
import { dutchDate, escapeHtml, renderDigest, type Digest, type DigestItem } from '../activities/mail-texts';

const baseUrl = 'https://toeleiding.example.nl';
const link = (id: string) => `${baseUrl}/v1/trajectories/${id}`;

const employerDigest: Digest = {
  recipient: { name: 'Marieke de Vries', email: 'marieke@zorggroepwest.example.nl' },
  organisation: 'Zorggroep West',
  date: '2026-04-14', // a Tuesday
  baseUrl,
  items: [
    {
      kind: 'attendance_placement',
      trajectoryId: 'tr-anne',
      firstName: 'Anne',
      reference: 'WS-2026-001',
      days: [{ date: '2026-04-13', kind: 'placement' }],
    },
    {
      kind: 'attendance_placement',
      trajectoryId: 'tr-bo',
      firstName: 'Bo',
      reference: 'WS-2026-002',
      days: [
        { date: '2026-04-09', kind: 'placement' },
        { date: '2026-04-13', kind: 'placement' },
      ],
    },
    {
      kind: 'week_overview',
      trajectoryId: 'tr-cas',
      firstName: 'Cas',
      reference: 'WS-2026-003',
      days: [
        { date: '2026-04-15', kind: 'school' },
        { date: '2026-04-13', kind: 'placement' },
        { date: '2026-04-14', kind: 'placement' },
      ],
    },
    {
      kind: 'bbl_decision',
      trajectoryId: 'tr-dewi',
      firstName: 'Dewi',
      reference: 'WS-2026-004',
      missing: ['employer_contract', 'school_enrolment'],
    },
    {
      kind: 'checkpoint_overdue',
      trajectoryId: 'tr-eva',
      firstName: 'Eva',
      reference: 'WS-2026-005',
      checkpoint: { key: 'pop', name: 'POP-gesprek', weekEnd: '2026-04-10' },
    },
  ],
};

const coordinatorDigest: Digest = {
  recipient: { name: 'Sanne Jacobs', email: 'sanne@welslagen.example.nl' },
  organisation: 'Projectbureau WelSlagen',
  date: '2026-04-16',
  baseUrl,
  items: [
    {
      kind: 'escalation',
      trajectoryId: 'tr-bo',
      firstName: 'Bo',
      reference: 'WS-2026-002',
      ignored: { kind: 'attendance_placement', organisation: 'Zorggroep West', times: 2 },
    },
    {
      kind: 'risk_raised',
      trajectoryId: 'tr-fleur',
      firstName: 'Fleur',
      reference: 'WS-2026-006',
      risk: 'drie stagedagen afwezig in twee weken',
    },
  ],
};

describe('the morning digest mail', () => {
  it('bundles every item of one recipient into one mail with a short Dutch subject', () => {
    const mail = renderDigest(employerDigest);
    // 4 things to do (two attendance, one BBL, one checkpoint) plus the week overview.
    expect(mail.subject).toBe('Toeleiding – 4 acties en weekoverzicht voor dinsdag 14 april');
  });

  it(
    'names each participant by first name and reference, with Dutch dates, in both bodies; attendance by the ' +
      'week page (sign in, or a personal week link), never by an API call',
    () => {
      const mail = renderDigest(employerDigest);
      for (const body of [mail.text, mail.html]) {
        expect(body).toContain('Beste Marieke de Vries,');
        for (const item of employerDigest.items) {
          expect(body).toContain(item.firstName);
          expect(body).toContain(item.reference);
        }
        expect(body).toContain('donderdag 9 april en maandag 13 april'); // Bo's days, in date order
        expect(body).not.toContain(`${link('tr-anne')}`);
        expect(body).not.toContain(`${link('tr-cas')}`);
        expect(body).not.toContain('attendance');
        expect(body).toContain('https://toeleiding.example.nl/inloggen'); // no personal link: sign in
        expect(body).toContain('woensdag 15 april: ROC-dag');
        expect(body).toContain('maandag 13 april: stagedag');
        expect(body).toContain('BBL-arbeidsovereenkomst (werkgever) en inschrijving BBL (ROC)');
        expect(body).not.toContain(`${link('tr-dewi')}`);
        expect(body).toContain('POP-gesprek, had uiterlijk vrijdag 10 april vastgelegd moeten zijn');
        // No personal links in this digest: its tasks are done after signing in; no mail names the API.
        expect(body).toContain(`Leg het gesprek vast na het inloggen`);
        expect(body).not.toMatch(/\/v1\/|POST/);
        expect(body).toContain('contactpersoon van Zorggroep West');
        expect(body).not.toMatch(/undefined|null|NaN|Invalid Date/);
      }
      // With the recipient's own week links, the section carries them instead.
      const linked = renderDigest({
        ...employerDigest,
        weekLinks: [{ weekStart: '2026-04-13', url: 'https://toeleiding.example.nl/l/abc.def' }],
      });
      expect(linked.text).toContain('Week van maandag 13 april bevestigen: https://toeleiding.example.nl/l/abc.def');
      expect(linked.html).toContain('<a href="https://toeleiding.example.nl/l/abc.def">Week van maandag 13 april');
      expect(linked.text).not.toContain('Bevestig de week op'); // the sign-in note is for mails without links
    },
  );

  it('puts the sections under Dutch headings in a fixed order, leaving out empty ones', () => {
    const { text, html } = renderDigest(employerDigest);
    const headings = [
      'Aanwezigheid stagedagen nog niet geregistreerd',
      'Verwacht deze week',
      'Checkpoint te laat',
      'BBL-besluit nodig',
    ];
    const positions = headings.map((h) => text.indexOf(`${h}\n`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html.match(/<h2>[^<]*<\/h2>/g)).toEqual(headings.map((h) => `<h2>${h}</h2>`));
    for (const absent of [
      'Checkpoint binnenkort',
      'Herinnering twee keer genegeerd',
      'Nieuw risicosignaal',
      'ROC-dagen nog niet',
    ]) {
      expect(text).not.toContain(absent);
    }
  });

  it('escapes every value in HTML and leaves it readable in the text', () => {
    const mail = renderDigest({
      ...employerDigest,
      recipient: { name: 'Anne & "Bo"', email: 'x@example.nl' },
      organisation: "O'Brien <Zorg>",
      items: [
        {
          kind: 'risk_raised',
          trajectoryId: 'tr-x',
          firstName: '<script>alert(1)</script>',
          reference: 'R&D-1',
          risk: '"afwezig" <b>',
        },
      ],
    });
    expect(mail.text).toContain('Beste Anne & "Bo",');
    expect(mail.text).toContain('- <script>alert(1)</script> (R&D-1)');
    expect(mail.text).toContain('"afwezig" <b>');
    expect(mail.text).toContain("O'Brien <Zorg>");
    expect(mail.html).toContain('Beste Anne &amp; &quot;Bo&quot;,');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('R&amp;D-1');
    expect(mail.html).toContain('&quot;afwezig&quot; &lt;b&gt;');
    expect(mail.html).toContain('O&#39;Brien &lt;Zorg&gt;');
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<b>');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('uses simple markup and no external resources', () => {
    const { html } = renderDigest(employerDigest);
    expect(html).not.toMatch(/<(img|script|link|style|iframe)\b/i);
    expect(html).not.toMatch(/\ssrc=/i);
    // Every link points at the application's own pages, nowhere else.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map(([, href]) => href!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href.startsWith(`${baseUrl}/`) && !href.includes('/v1/')).toBe(true);
  });

  it('tells the coordinator about signals: what was ignored, by whom and how often, and the new risk', () => {
    const mail = renderDigest(coordinatorDigest);
    expect(mail.subject).toBe('Toeleiding – 2 signalen voor donderdag 16 april');
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Herinnering twee keer genegeerd');
      expect(body).toContain('Niet opgevolgd: aanwezigheid op stagedagen registreren');
      expect(body).toContain('Door Zorggroep West, 2 keer herinnerd');
      expect(body).toContain('Nieuw risicosignaal');
      expect(body).toContain('drie stagedagen afwezig in twee weken');
      // The participant's page, after signing in.
      expect(body).toContain(`${baseUrl}/trajecten/tr-fleur`);
    }
    expect(renderDigest({ ...coordinatorDigest, items: coordinatorDigest.items.slice(1) }).subject).toBe(
      'Toeleiding – 1 signaal voor donderdag 16 april',
    );
  });

  it('contains nothing about participants that are not in the digest', () => {
    const other: Digest = {
      ...employerDigest,
      recipient: { name: 'Henk Bakker', email: 'henk@thuiszorgoost.example.nl' },
      organisation: 'Thuiszorg Oost',
      items: [
        {
          kind: 'attendance_placement',
          trajectoryId: 'tr-gijs',
          firstName: 'Gijsbert',
          reference: 'WS-2026-099',
          days: [{ date: '2026-04-13', kind: 'placement' }],
        },
      ],
    };
    renderDigest(other);
    const mail = renderDigest(employerDigest);
    const all = `${mail.subject}\n${mail.text}\n${mail.html}`;
    for (const leaked of ['Gijsbert', 'WS-2026-099', 'tr-gijs', 'Thuiszorg Oost', 'Henk'])
      expect(all).not.toContain(leaked);
    // Nor the recipient's own address, which is for the envelope, not the text.
    expect(all).not.toContain(employerDigest.recipient.email);
  });

  it('renders the same digest to the same mail, whatever order the items came in', () => {
    const once = renderDigest(employerDigest);
    expect(renderDigest(structuredClone(employerDigest))).toEqual(once);
    expect(renderDigest({ ...employerDigest, items: [...employerDigest.items].reverse() })).toEqual(once);
  });

  it('keeps a value with a line break on one line, so it cannot forge a line or a header', () => {
    const mail = renderDigest({ ...employerDigest, organisation: 'Zorg\r\nBcc: iemand@example.nl' });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Zorg Bcc: iemand@example.nl');
    expect(mail.text).not.toMatch(/\r|\nBcc:/);
  });

  it('refuses a malformed date instead of mailing "Invalid Date"', () => {
    expect(() => renderDigest({ ...employerDigest, date: '14-04-2026' })).toThrow(RangeError);
    expect(() => renderDigest({ ...employerDigest, date: '2026-02-30' })).toThrow(RangeError);
  });
});

describe('Dutch dates', () => {
  it('writes weekday, day and month as Intl does for nl-NL in Europe/Amsterdam, every day of a leap year', () => {
    const intl = new Intl.DateTimeFormat('nl-NL', {
      timeZone: 'Europe/Amsterdam',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
    for (let t = Date.UTC(2028, 0, 1); t < Date.UTC(2029, 0, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(dutchDate(iso)).toBe(intl.format(new Date(t + 12 * 3_600_000)));
    }
  });

  it("adds the year only when it differs from the digest's year", () => {
    expect(dutchDate('2025-12-31', 2026)).toBe('woensdag 31 december 2025');
    expect(dutchDate('2026-01-02', 2026)).toBe('vrijdag 2 januari');
    const item: DigestItem = {
      kind: 'attendance_school',
      trajectoryId: 'tr-a',
      firstName: 'Anne',
      reference: 'WS-1',
      days: [{ date: '2025-12-31', kind: 'school' }],
    };
    expect(renderDigest({ ...employerDigest, date: '2026-01-05', items: [item] }).text).toContain(
      'Nog te registreren: woensdag 31 december 2025',
    );
  });
});
