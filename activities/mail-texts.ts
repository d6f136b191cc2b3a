// The Dutch texts of every mail, plain text and HTML, rendered from a digest: what one recipient has to
// do this morning. Pure functions: the same digest always gives the same mail.
import { dutchDate, isoDateParts } from '../domain/dutch';
import { MAX_SUBSIDY_WEEKS } from '../domain/subsidy';

export { dutchDate };

/** What a reminder is about. */
export type ReminderKind =
  | 'attendance_placement' // placement days not recorded by 10:00 the next working day (employer)
  | 'attendance_school' // school days not recorded by 10:00 the next working day (ROC)
  | 'week_overview' // Monday: who is expected on which days this week (employer)
  | 'checkpoint_due' // a checkpoint due within 3 working days (jobcoach)
  | 'checkpoint_overdue' // a checkpoint not recorded by the end of its week (jobcoach)
  | 'bbl_decision' // from the BBL decision week, weekly until both confirmations are in (employer, ROC)
  | 'follow_up' // 3, 6 and 12 months after the BBL start: still employed (employer), still enrolled (ROC)?
  | 'escalation' // to the coordinator: a reminder ignored twice
  | 'risk_raised' // to the coordinator: a new risk signal
  | 'candidate_overdue' // to the coordinator: a candidate's step past its deadline (activities/candidate-reminders.ts)
  | 'candidate_due' // to the coordinator: a candidate's step whose reminder day has come
  | 'candidate_escalation' // to the coordinator: a candidate's step still overdue after two reminders
  | 'recognition_recheck' // to the coordinator: an employer's SBB recognition to re-check before the BBL decision
  | 'benefit_maximum' // to the benefit payer: the instrument's maximum comes near while the trajectory runs past it
  | 'benefit_adjustment' // to the benefit payer: from the BBL contract start until it confirms the adjustment
  | 'pok_due' // to the ROC: the praktijkovereenkomst is not signed by all, 14 days or less before the BBL start
  | 'pok_late' // to the ROC and the coordinator: the BBL contract started without a POK signed by all
  | 'bpv_blad' // to the ROC: the employer changed after it signed the POK; a new bpv-blad is needed
  | 'subsidy_deadline'; // to the employer: the praktijkleren subsidy's application deadline comes near

export interface DigestItem {
  kind: ReminderKind;
  trajectoryId: string;
  /** The participant's first name: enough for the recipient to know who, nothing more. */
  firstName: string;
  reference: string;
  /** attendance_*: the days still to record; week_overview: the days expected this week. */
  days?: { date: string; kind: 'placement' | 'school' }[];
  /** checkpoint_*: which checkpoint, and the last day of its week. */
  checkpoint?: { key: string; name: string; weekEnd: string };
  /** bbl_decision: which confirmations are still missing. */
  missing?: ('employer_contract' | 'school_enrolment')[];
  /** follow_up: which follow-up, what is asked, and until when. */
  followUp?: { months: number; question: 'employed' | 'enrolled'; closesOn: string };
  /**
   * risk_raised: the signal's reason in words (never a health detail: the signals are about attendance and
   * checkpoints).
   */
  risk?: string;
  /**
   * candidate_*: the candidate (then `trajectoryId` holds the candidate's id), the step of the draaiboek it is at, its
   * deadline and round; the office is whose coordinators get it (never rendered).
   */
  candidate?: { id: string; officeId: string; step: string; dueOn: string; round: string };
  /** benefit_*: the instrument by its Dutch name, its maximum and the planned end, or the BBL contract start. */
  benefit?: { instrument: string; maximumEnd?: string; plannedEnd?: string; contractStart?: string };
  /** pok_*, bpv_blad: the BBL contract start (the POK's deadline), the steps still missing, the new employer. */
  pok?: { deadline: string; missing: string[]; employer?: string };
  /** subsidy_deadline: the school year, its application deadline, and the participant's supervised weeks in it. */
  subsidy?: { schoolYear: string; deadline: string; weeks: number; counted: number; employerId: string };
  /** escalation: what was ignored, by which organisation, and how often it was reminded. */
  ignored?: { kind: ReminderKind; organisation: string; times: number };
  /** recognition_recheck: the employer, its qualification, the last check, the decision and SBB's register. */
  recheck?: { employer: string; crebo: string; checkedOn: string | null; bblDecisionOn: string; registerUrl: string };
  /**
   * The recipient's own link to the page that does this item's task (web/tasks.ts), when it has one: the mail
   * then asks to follow it instead of naming the API.
   */
  taskUrl?: string;
}

export interface Digest {
  recipient: { name: string; email: string };
  /** The recipient's organisation (its own name: a digest never names another organisation's participants). */
  organisation: string;
  /** The morning this digest is for (YYYY-MM-DD, Europe/Amsterdam). */
  date: string;
  items: DigestItem[];
  /** The public base URL, for the sign-in page and each participant's page (`${baseUrl}/trajecten/${id}`). */
  baseUrl: string;
  /**
   * The recipient's own links (web/links.ts) that open a week's attendance page, one per week with days still to
   * record. None for an organisation's general address: it signs in instead.
   */
  weekLinks?: { weekStart: string; url: string }[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

// ---- Rendering ------------------------------------------------------------------------------------------
// One model of the mail (sections of entries) is built once and written out twice, as text and as HTML,
// so the two bodies cannot drift apart. Every value from the digest goes through `flat` (one line, so a
// stray newline cannot forge a line or a header) and, in HTML, through `escapeHtml`.

type DayKind = NonNullable<DigestItem['days']>[number]['kind'];
type Confirmation = NonNullable<DigestItem['missing']>[number];

interface Action {
  verb: string;
  url: string;
}
interface Entry {
  firstName: string;
  reference: string;
  facts: string[];
  action?: Action;
  /**
   * The participant's (or candidate's) page: for the coordinator's signals (issue 17) and candidates' steps; none
   * where the mail's own week link does the work.
   */
  link?: { label: string; url: string };
}
interface Section {
  heading: string;
  note: string;
  /** Links that do the section's work for the recipient (a week to confirm). */
  links?: { label: string; url: string }[];
  entries: Entry[];
}

const WEEK_NOTE =
  'Bevestig de week met de link hieronder: iedereen staat al op aanwezig, dus als iedereen er was, is het één ' +
  'klik; kies alleen bij wie er niet was de reden.';
const SIGN_IN_NOTE = (base: string) =>
  `Bevestig de week op ${base}/inloggen: u krijgt een inloglink per e-mail, en vindt de week op de startpagina.`;

/** Fixed order and Dutch heading per kind; a Record, so a new ReminderKind does not compile until it has both. */
const SECTIONS: Record<ReminderKind, { heading: string; note: string }> = {
  attendance_placement: {
    heading: 'Aanwezigheid stagedagen nog niet geregistreerd',
    note: WEEK_NOTE,
  },
  attendance_school: {
    heading: 'Aanwezigheid ROC-dagen nog niet geregistreerd',
    note: WEEK_NOTE,
  },
  week_overview: {
    heading: 'Verwacht deze week',
    note: 'Ter informatie: op een stagedag is de deelnemer bij u, op een ROC-dag op school.',
  },
  // Late before soon: what is already overdue comes first.
  checkpoint_overdue: {
    heading: 'Checkpoint te laat',
    note: 'Deze gesprekken hadden al vastgelegd moeten zijn. Leg ze vast zodra ze gevoerd zijn.',
  },
  checkpoint_due: {
    heading: 'Checkpoint binnenkort',
    note: 'Plan het gesprek met de deelnemer en de werkbegeleider en leg het vast vóór het einde van de week.',
  },
  bbl_decision: {
    heading: 'BBL-besluit nodig',
    note: 'Doorstroom naar de BBL telt pas als beide bevestigingen binnen zijn.',
  },
  follow_up: {
    heading: 'Nazorg: hoe gaat het nu?',
    note:
      'Na de overstap naar de BBL vragen we een paar keer hoe het gaat. Uw antwoord telt mee in de resultaten ' +
      'van het programma; een antwoord na de sluitingsdatum telt als "geen antwoord".',
  },
  benefit_maximum: {
    heading: 'Uitkeringsinstrument loopt af',
    note:
      'Het traject loopt langer dan het instrument waarmee de deelnemer de uitkering behoudt. Leg een ' +
      'verlengingsbesluit vast in Toeleiding, of overleg met het programmabureau over het einde.',
  },
  benefit_adjustment: {
    heading: 'Uitkering aanpassen of beëindigen',
    note:
      'De deelnemer is met een BBL-arbeidsovereenkomst begonnen. Pas de uitkering aan of beëindig haar, en ' +
      'bevestig dat in Toeleiding; tot dan herinneren wij u elke week.',
  },
  pok_due: {
    heading: 'Praktijkovereenkomst nog niet rond',
    note:
      'Een BBL-plaats telt pas met een praktijkovereenkomst die de student, het leerbedrijf en het ROC hebben ' +
      'getekend, uiterlijk op de startdatum van het BBL-contract. Leg elke handtekening vast in Toeleiding.',
  },
  pok_late: {
    heading: 'Praktijkovereenkomst te laat',
    note:
      'Het BBL-contract is begonnen zonder praktijkovereenkomst die door alle partijen is getekend. Zonder die ' +
      'overeenkomst telt de doorstroom niet. Zorg dat de ontbrekende handtekeningen er komen en leg ze vast.',
  },
  bpv_blad: {
    heading: 'Nieuw bpv-blad nodig',
    note:
      'De deelnemer heeft een andere werkgever dan het leerbedrijf dat de praktijkovereenkomst tekende. Stel een ' +
      'nieuw bpv-blad op en leg het vast in Toeleiding.',
  },
  subsidy_deadline: {
    heading: 'Subsidie praktijkleren aanvragen',
    note:
      'Het schooljaar is voorbij. Vraag bij RVO de subsidie praktijkleren aan voor deze deelnemers (alleen voor ' +
      'wie een BBL-opleiding volgt met een praktijkovereenkomst). Het bestand met de begeleide weken per deelnemer ' +
      'staat in Toeleiding; bewaar het 5 jaar.',
  },
  escalation: {
    heading: 'Herinnering twee keer genegeerd',
    note: 'Neem contact op met de organisatie die de herinneringen niet heeft opgevolgd.',
  },
  risk_raised: {
    heading: 'Nieuw risicosignaal',
    note: 'Bekijk het traject en bespreek het signaal met de jobcoach.',
  },
  candidate_escalation: {
    heading: 'Kandidaat: stap na herhaalde herinnering nog open',
    note:
      'Deze stappen zijn te laat en u kreeg er al vaker een herinnering over. Neem contact op met de kandidaat, of ' +
      'leg vast dat de kandidaat stopt (met de reden).',
  },
  candidate_overdue: {
    heading: 'Kandidaat: stap te laat',
    note: 'De termijn van deze stap in het draaiboek is verstreken. Leg de uitkomst vast zodra die er is.',
  },
  candidate_due: {
    heading: 'Kandidaat: termijn nadert',
    note: 'De termijn van deze stap in het draaiboek loopt binnenkort af.',
  },
  recognition_recheck: {
    heading: 'Erkenning leerbedrijf opnieuw controleren',
    note:
      'Vóór het BBL-besluit moet de werkgever nog erkend leerbedrijf zijn. Controleer de erkenning in het ' +
      'register van SBB en leg de controle vast bij de werkgever op de partnerpagina.',
  },
};

/** What a reminder asked for, as the coordinator reads it in an escalation. */
const REMINDED_TO: Record<ReminderKind, string> = {
  attendance_placement: 'aanwezigheid op stagedagen registreren',
  attendance_school: 'aanwezigheid op ROC-dagen registreren',
  week_overview: 'weekoverzicht',
  checkpoint_due: 'checkpoint vastleggen',
  checkpoint_overdue: 'te laat checkpoint vastleggen',
  bbl_decision: 'BBL-besluit bevestigen',
  follow_up: 'nazorgvraag beantwoorden',
  benefit_maximum: 'verlenging van het uitkeringsinstrument',
  benefit_adjustment: 'uitkering aanpassen of beëindigen',
  pok_due: 'praktijkovereenkomst laten tekenen',
  pok_late: 'te late praktijkovereenkomst laten tekenen',
  bpv_blad: 'nieuw bpv-blad vastleggen',
  subsidy_deadline: 'subsidie praktijkleren aanvragen',
  escalation: 'escalatie opvolgen',
  risk_raised: 'risicosignaal opvolgen',
  candidate_overdue: 'te late stap van een kandidaat vastleggen',
  candidate_due: 'stap van een kandidaat vastleggen',
  candidate_escalation: 'escalatie over een kandidaat opvolgen',
  recognition_recheck: 'erkenning leerbedrijf controleren',
};

const CONFIRMATIONS: Record<Confirmation, string> = {
  employer_contract: 'BBL-arbeidsovereenkomst (werkgever)',
  school_enrolment: 'inschrijving BBL (ROC)',
};

const DAY_KINDS: Record<DayKind, string> = { placement: 'stagedag', school: 'ROC-dag' };

/** What the link to a task's page says, per kind. */
const PAGE_VERB: Partial<Record<ReminderKind, string>> = {
  checkpoint_due: 'Leg het gesprek vast',
  checkpoint_overdue: 'Leg het gesprek vast',
  bbl_decision: 'Bevestig het BBL-besluit',
  follow_up: 'Beantwoord de vraag',
  pok_due: 'Leg de handtekeningen vast',
  pok_late: 'Leg de handtekeningen vast',
  bpv_blad: 'Leg het nieuwe bpv-blad vast',
  benefit_maximum: 'Bekijk de termijn of leg een verlenging vast',
  benefit_adjustment: 'Bevestig de aanpassing',
};

const ATTENDANCE: ReadonlySet<ReminderKind> = new Set<ReminderKind>(['attendance_placement', 'attendance_school']);

/** The coordinator's kinds: signals to look at, not tasks of their own. */
const SIGNALS: ReadonlySet<ReminderKind> = new Set<ReminderKind>(['escalation', 'risk_raised', 'candidate_escalation']);

export function renderDigest(digest: Digest): RenderedMail {
  const base = flat(digest.baseUrl).replace(/\/+$/, '');
  const year = isoDateParts(digest.date).year;
  const date = (d: string) => dutchDate(d, year);
  const sections = (Object.keys(SECTIONS) as ReminderKind[])
    .map((kind): Section => ({
      ...SECTIONS[kind],
      ...(ATTENDANCE.has(kind) &&
        (digest.weekLinks?.length
          ? {
              links: digest.weekLinks.map((l) => ({
                label: `Week van ${dutchDate(l.weekStart, year)} bevestigen`,
                url: flat(l.url),
              })),
            }
          : { note: SIGN_IN_NOTE(base) })),
      entries: digest.items
        .filter((i) => i.kind === kind)
        .sort(byParticipant)
        .map((i) => entry(i, base, date)),
    }))
    .filter((s) => s.entries.length > 0);

  const mail = {
    subject: subjectOf(digest),
    greeting: `Beste ${flat(digest.recipient.name)},`,
    intro: sections.length
      ? `Hieronder vindt u het overzicht van ${dutchDate(digest.date)} voor ${flat(digest.organisation)}.`
      : `Voor ${flat(digest.organisation)} staat op ${dutchDate(digest.date)} niets open.`,
    sections,
    closing: 'Alvast bedankt. Alles wat vandaag voor u openstaat, staat in dit ene bericht.',
    signature: ['Met vriendelijke groet,', 'Toeleiding'],
    footer:
      `U ontvangt deze e-mail omdat u in het samenwerkingsconvenant de contactpersoon ` +
      `van ${flat(digest.organisation)} bent voor deze deelnemers. ` +
      'Het bericht is automatisch verstuurd.',
  };
  return { subject: mail.subject, text: toText(mail), html: toHtml(mail) };
}

function subjectOf(digest: Digest): string {
  const signals = digest.items.filter((i) => SIGNALS.has(i.kind)).length;
  const overview = digest.items.some((i) => i.kind === 'week_overview');
  const actions = digest.items.length - signals - digest.items.filter((i) => i.kind === 'week_overview').length;
  const parts = [
    actions ? plural(actions, 'actie', 'acties') : '',
    signals ? plural(signals, 'signaal', 'signalen') : '',
    overview ? 'weekoverzicht' : '',
  ].filter(Boolean);
  return `Toeleiding – ${parts.length ? dutchList(parts) : 'niets open'} voor ${dutchDate(digest.date)}`;
}

function entry(item: DigestItem, base: string, date: (d: string) => string): Entry {
  const days = [...(item.days ?? [])].sort((a, b) => compare(a.date, b.date));
  const facts: string[] = [];
  switch (item.kind) {
    case 'attendance_placement':
    case 'attendance_school':
      if (days.length) facts.push(`Nog te registreren: ${dutchList(days.map((d) => date(d.date)))}`);
      break;
    case 'week_overview':
      for (const d of days) facts.push(`${date(d.date)}: ${DAY_KINDS[d.kind]}`);
      break;
    case 'checkpoint_due':
      if (item.checkpoint) facts.push(`${flat(item.checkpoint.name)}, uiterlijk ${date(item.checkpoint.weekEnd)}`);
      break;
    case 'checkpoint_overdue':
      if (item.checkpoint)
        facts.push(
          `${flat(item.checkpoint.name)}, had uiterlijk ${date(item.checkpoint.weekEnd)} vastgelegd moeten zijn`,
        );
      break;
    case 'bbl_decision': {
      const missing = (Object.keys(CONFIRMATIONS) as Confirmation[]).filter((c) => item.missing?.includes(c));
      if (missing.length) facts.push(`Nog niet bevestigd: ${dutchList(missing.map((c) => CONFIRMATIONS[c]))}`);
      break;
    }
    case 'follow_up':
      if (item.followUp) {
        facts.push(
          item.followUp.question === 'employed'
            ? `${item.followUp.months} maanden na de start van de BBL: werkt ${flat(item.firstName)} nog bij u?`
            : `${item.followUp.months} maanden na de start van de BBL: staat ${flat(item.firstName)} nog ` +
                `ingeschreven in de BBL?`,
        );
        facts.push(`Graag antwoord uiterlijk ${date(item.followUp.closesOn)}`);
      }
      break;
    case 'escalation':
      if (item.ignored) {
        facts.push(`Niet opgevolgd: ${REMINDED_TO[item.ignored.kind]}`);
        facts.push(`Door ${flat(item.ignored.organisation)}, ${item.ignored.times} keer herinnerd`);
      }
      break;
    case 'risk_raised':
      if (item.risk) facts.push(`Signaal: ${flat(item.risk)}`);
      break;
    case 'candidate_due':
    case 'candidate_overdue':
    case 'candidate_escalation':
      if (item.candidate) {
        const late = item.kind !== 'candidate_due';
        facts.push(
          `${flat(item.candidate.step)} in ${flat(item.candidate.round)}, ` +
            `${late ? 'termijn verstreken op' : 'uiterlijk'} ${date(item.candidate.dueOn)}`,
        );
      }
      if (item.ignored) facts.push(`Al ${item.ignored.times} keer herinnerd`);
      break;
    case 'recognition_recheck':
      if (item.recheck) {
        const r = item.recheck;
        facts.push(`Werkgever: ${flat(r.employer)} (crebo ${flat(r.crebo)})`);
        facts.push(r.checkedOn ? `Laatst gecontroleerd op ${date(r.checkedOn)}` : 'Nog nooit gecontroleerd');
        facts.push(`BBL-besluit vanaf ${date(r.bblDecisionOn)}`);
      }
      break;
    case 'benefit_maximum':
      if (item.benefit?.maximumEnd && item.benefit.plannedEnd)
        facts.push(
          `${flat(item.benefit.instrument)} loopt tot en met ${date(item.benefit.maximumEnd)}; het traject loopt ` +
            `tot ${date(item.benefit.plannedEnd)}`,
        );
      break;
    case 'pok_due':
    case 'pok_late':
      if (item.pok) {
        const when = item.kind === 'pok_late' ? 'BBL-contract begonnen op' : 'Uiterlijk getekend op';
        facts.push(`${when} ${date(item.pok.deadline)}`);
        if (item.pok.missing.length) facts.push(`Nog niet: ${dutchList(item.pok.missing.map(flat))}`);
      }
      break;
    case 'bpv_blad':
      if (item.pok?.employer) facts.push(`Nieuwe werkgever: ${flat(item.pok.employer)}`);
      break;
    case 'subsidy_deadline':
      if (item.subsidy)
        facts.push(
          `Schooljaar ${flat(item.subsidy.schoolYear)}: ${item.subsidy.weeks} ` +
            `${item.subsidy.weeks === 1 ? 'week' : 'weken'} met begeleiding (${item.subsidy.counted} tellen mee, ` +
            `ten hoogste ${MAX_SUBSIDY_WEEKS}); aanvragen uiterlijk ${date(item.subsidy.deadline)}`,
        );
      break;
    case 'benefit_adjustment':
      if (item.benefit?.contractStart)
        facts.push(
          `BBL-contract vanaf ${date(item.benefit.contractStart)}: ${flat(item.benefit.instrument).toLowerCase()} ` +
            'en uitkering aanpassen of beëindigen',
        );
      break;
  }
  // A task is done on its page: by the recipient's own link, or, for a general address, after signing in.
  const verb = PAGE_VERB[item.kind];
  const action: Action | undefined = item.recheck
    ? { verb: 'Controleer de erkenning in het register van SBB', url: flat(item.recheck.registerUrl) }
    : verb
      ? item.taskUrl
        ? { verb, url: flat(item.taskUrl) }
        : { verb: `${verb} na het inloggen`, url: `${base}/inloggen` }
      : undefined;
  // The coordinator's signals point to the participant's page (after signing in); a candidate item to the candidate's.
  const link = item.candidate
    ? { label: 'Bekijk de kandidaat', url: `${base}/werving/kandidaten/${encodeURIComponent(flat(item.candidate.id))}` }
    : item.subsidy
      ? item.taskUrl
        ? { label: 'Het bestand met de begeleide weken', url: flat(item.taskUrl) }
        : {
            label: 'Het bestand met de begeleide weken (na het inloggen)',
            url:
              `${base}/organisaties/${encodeURIComponent(flat(item.subsidy.employerId))}/subsidie` +
              `?schooljaar=${encodeURIComponent(flat(item.subsidy.schoolYear))}`,
          }
      : SIGNALS.has(item.kind)
        ? { label: 'Bekijk het traject', url: `${base}/trajecten/${encodeURIComponent(flat(item.trajectoryId))}` }
        : undefined;
  return {
    firstName: flat(item.firstName),
    reference: flat(item.reference),
    facts,
    action,
    link,
  };
}

interface Mail {
  subject: string;
  greeting: string;
  intro: string;
  sections: Section[];
  closing: string;
  signature: string[];
  footer: string;
}

function toText(m: Mail): string {
  const out = [m.greeting, '', m.intro, ''];
  for (const s of m.sections) {
    out.push(s.heading, '-'.repeat(s.heading.length), s.note, '');
    if (s.links?.length) out.push(...s.links.map((l) => `${l.label}: ${l.url}`), '');
    for (const e of s.entries) {
      out.push(`- ${e.firstName} (${e.reference})`);
      for (const f of e.facts) out.push(`  ${f}`);
      if (e.action) out.push(`  ${e.action.verb}: ${e.action.url}`);
      if (e.link) out.push(`  ${e.link.label}: ${e.link.url}`);
    }
    out.push('');
  }
  out.push(m.closing, '', ...m.signature, '', '-- ', m.footer, ''); // '-- ' is the usual signature separator
  return out.join('\n');
}

function toHtml(m: Mail): string {
  const h = escapeHtml;
  const out = [
    '<!DOCTYPE html>',
    '<html lang="nl">',
    `<head><meta charset="utf-8"><title>${h(m.subject)}</title></head>`,
    '<body>',
    `<p>${h(m.greeting)}</p>`,
    `<p>${h(m.intro)}</p>`,
  ];
  for (const s of m.sections) {
    out.push(`<h2>${h(s.heading)}</h2>`, `<p>${h(s.note)}</p>`);
    if (s.links?.length)
      out.push(`<p>${s.links.map((l) => `<a href="${h(l.url)}">${h(l.label)}</a>`).join('<br>')}</p>`);
    out.push('<ul>');
    for (const e of s.entries) {
      const lines = [
        `<strong>${h(e.firstName)}</strong> (${h(e.reference)})`,
        ...e.facts.map(h),
        ...(e.action ? [`<a href="${h(e.action.url)}">${h(e.action.verb)}</a>`] : []),
        ...(e.link ? [`<a href="${h(e.link.url)}">${h(e.link.label)}</a>`] : []),
      ];
      out.push(`<li>${lines.join('<br>')}</li>`);
    }
    out.push('</ul>');
  }
  out.push(
    `<p>${h(m.closing)}</p>`,
    `<p>${m.signature.map(h).join('<br>')}</p>`,
    '<hr>',
    `<p><small>${h(m.footer)}</small></p>`,
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}

// ---- Small helpers --------------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and for a double- or single-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** "a", "a en b", "a, b en c". */
function dutchList(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} en ${parts[parts.length - 1]}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line of text: no newlines or tabs from the data can break the layout (or a mail header). */
function flat(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Code-unit order, not locale order: the same everywhere, so the same digest gives the same mail. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Items in a section by first name, then reference and id, so the order the digest was queried in does not matter. */
function byParticipant(a: DigestItem, b: DigestItem): number {
  return (
    compare(a.firstName.toLowerCase(), b.firstName.toLowerCase()) ||
    compare(a.reference, b.reference) ||
    compare(a.trajectoryId, b.trajectoryId)
  );
}
