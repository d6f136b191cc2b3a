// A cohort launch from a spreadsheet (issue 18): the template's columns, what an office may fill in them, the check
// of every row with a Dutch message naming its row and column, the dated plan before the launch and how far a
// launch has come. The checks are those launchCohort makes (api/services/cohorts.ts validate), worded for a person
// who filled a spreadsheet, plus what only a list of people needs: no one twice, and no one who already runs in
// the programme. Nothing here echoes a BSN: a BSN cell's value is checked and hashed, never repeated.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { findCovenant, listContacts, listCovenants, type CovenantWithMembers } from '../../db/covenants';
import { findOwnedOrganisations } from '../../db/ownership';
import { findCohort } from '../../db/cohorts';
import { listCohortTrajectories } from '../../db/trajectories';
import { runningParticipants, type DraftParticipant } from '../../db/cohort-drafts';
import type { Contact, MemberRole } from '../../db/schema';
import { planTrajectory, WEEKDAYS, type Plan, type Weekday } from '../../domain/calendar';
import type { ProgrammeTemplate } from '../../domain/programme';
import { mapLimit } from '../../infra/map-limit';
import { bsnHash, containsBsn, isBsn } from '../bsn';
import type { AppDeps } from '../deps';
import type { Principal } from '../auth';
import { actingOffice, contactOfOffice, organisationRight } from '../ownership';
import { temporalCall } from '../temporal-calls';
import { cohortCalendar } from './cohorts';
import { visibleProgrammes } from './programmes';
import type { OrganisationKind } from '../schemas/organisation';

/** Rows one upload may hold; more is a Dutch message, not a slow page. */
export const MAX_ROWS = 500;

export type ColumnKey = 'reference' | 'name' | 'email' | 'bsn' | 'employer' | 'days' | 'jobcoach' | 'payer';

/** The template's columns, in their order: the Dutch header, whether a cell must be filled, and what goes in it. */
export const SHEET_COLUMNS: { key: ColumnKey; header: string; required: boolean; hint: string; width: number }[] = [
  { key: 'reference', header: 'Referentie', required: false, width: 14, hint: 'Uw eigen kenmerk; leeg: het rijnummer' },
  { key: 'name', header: 'Naam', required: true, width: 28, hint: 'Voor- en achternaam' },
  { key: 'email', header: 'E-mailadres', required: true, width: 30, hint: 'Bijvoorbeeld naam@voorbeeld.nl' },
  { key: 'bsn', header: 'BSN', required: false, width: 12, hint: 'Negen cijfers; mag leeg' },
  { key: 'employer', header: 'Werkgever', required: true, width: 28, hint: 'Naam van een werkgever in het convenant' },
  {
    key: 'days',
    header: 'Praktijkdagen',
    required: false,
    width: 18,
    hint: 'Bijvoorbeeld ma, di, wo; leeg: de eerste werkdagen naast de ROC-dag',
  },
  { key: 'jobcoach', header: 'Jobcoach', required: true, width: 24, hint: 'Naam of e-mailadres van de jobcoach' },
  {
    key: 'payer',
    header: 'Uitkeringsinstantie',
    required: true,
    width: 26,
    hint: 'De gemeente of het UWV in het convenant',
  },
];

export const WEEKDAY_NL: Record<Weekday, string> = {
  monday: 'maandag',
  tuesday: 'dinsdag',
  wednesday: 'woensdag',
  thursday: 'donderdag',
  friday: 'vrijdag',
};

export interface Partner {
  id: string;
  name: string;
}

/** What an office may launch with: its programmes (newest versions), covenants with their partners, jobcoaches. */
export interface LaunchChoices {
  programmes: { id: string; version: number; name: string; template: ProgrammeTemplate }[];
  covenants: {
    id: string;
    name: string;
    schools: Partner[];
    employers: Partner[];
    payers: Partner[];
    jobcoaches: (Partner & { email: string })[];
  }[];
}

/** One row's problem: the row as Excel numbers it, the column by its header, the message in Dutch. */
export interface SheetProblem {
  line: number;
  column: string;
  message: string;
}

const CONTACT_PAGE = { limit: 1000, offset: 0 };

async function covenantPartners(db: Db, office: string, covenant: CovenantWithMembers) {
  const orgs = new Map(
    (await findOwnedOrganisations(db, [...new Set(covenant.members.map((m) => m.organisation_id))]))
      // Only what the office may use: another office's organisation never appears, even as a member.
      .filter((o) => organisationRight(office, o))
      .map((o) => [o.id, o]),
  );
  const of = (role: MemberRole, kinds: OrganisationKind[]) =>
    covenant.members
      .filter((m) => m.role === role)
      .map((m) => orgs.get(m.organisation_id))
      .filter((o): o is NonNullable<typeof o> => Boolean(o && kinds.includes(o.kind)))
      .map((o) => ({ id: o.id, name: o.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  // The jobcoaches launchCohort accepts: the office's own, and those of covenant members that provide jobcoaching.
  const coachOrgs = [
    office,
    ...covenant.members
      .filter((m) => m.role === 'jobcoaching' && orgs.has(m.organisation_id))
      .map((m) => m.organisation_id),
  ];
  const contacts: Contact[] = [];
  for (const org of new Set(coachOrgs))
    contacts.push(...(await listContacts(db, { organisationId: org, officeId: office, ...CONTACT_PAGE })).items);
  return {
    id: covenant.id,
    name: covenant.name,
    schools: of('school', ['school']),
    employers: of('employer', ['employer']),
    payers: of('funder', ['gemeente', 'uwv']),
    jobcoaches: contacts
      .filter((c) => c.role === 'jobcoach' && contactOfOffice(office, c))
      .map((c) => ({ id: c.id, name: c.name, email: c.email })),
  };
}

/** The office's programmes and covenants, as a coordinator chooses among them; undefined without an office. */
export async function launchChoices(deps: Pick<AppDeps, 'db'>, principal: Principal): Promise<LaunchChoices> {
  const office = actingOffice(principal);
  if (office === null) return { programmes: [], covenants: [] };
  const newest = new Map<string, LaunchChoices['programmes'][number]>();
  for (const p of await visibleProgrammes(deps, principal))
    if ((newest.get(p.id)?.version ?? 0) < p.version)
      newest.set(p.id, { id: p.id, version: p.version, name: p.name, template: p.template });
  const { items } = await listCovenants(deps.db, { officeId: office, limit: 100, offset: 0 });
  const covenants = [];
  for (const c of items) covenants.push(await covenantPartners(deps.db, office, c));
  return { programmes: [...newest.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl')), covenants };
}

/** The covenant with its partners, when `office` coordinates it; undefined otherwise (as if unknown). */
export async function covenantChoice(db: Db, office: string, covenantId: string) {
  const c = await findCovenant(db, covenantId);
  return c && c.programme_office_id === office ? covenantPartners(db, office, c) : undefined;
}

const DAY_WORDS: Record<string, Weekday> = {
  ma: 'monday',
  maandag: 'monday',
  di: 'tuesday',
  dinsdag: 'tuesday',
  wo: 'wednesday',
  woensdag: 'wednesday',
  do: 'thursday',
  donderdag: 'thursday',
  vr: 'friday',
  vrijdag: 'friday',
};

/** The placement days without a cell: the first weekdays that are not the ROC day, as many as the programme asks. */
export const defaultPlacementDays = (schoolWeekday: Weekday, perWeek: number): Weekday[] =>
  WEEKDAYS.filter((d) => d !== schoolWeekday).slice(0, perWeek);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REFERENCE = /^[A-Za-z0-9._-]+$/;
const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
/** A cell's value in a message: in quotes, shortened, and never when it holds a BSN. */
const quoted = (s: string) => (containsBsn(s) ? 'deze waarde' : `'${s.length > 60 ? `${s.slice(0, 57)}...` : s}'`);

export interface SheetChoice {
  office: string;
  programme: { id: string; template: ProgrammeTemplate };
  covenant: Awaited<ReturnType<typeof covenantPartners>>;
  schoolWeekday: Weekday;
}

/**
 * Every row of the sheet checked: the participants ready for launchCohort when `problems` is empty, else every
 * problem at once (row, column, Dutch message). `headers` and `cells` as web/spreadsheet.ts readSheet gives them.
 */
export async function checkCohortSheet(
  deps: Pick<AppDeps, 'db' | 'config'>,
  choice: SheetChoice,
  sheet: { headers: string[]; rows: { line: number; cells: string[] }[] },
): Promise<{ participants: DraftParticipant[]; problems: SheetProblem[] }> {
  const problems: SheetProblem[] = [];
  const at = new Map<ColumnKey, number>();
  const headers = sheet.headers.map(norm);
  for (const c of SHEET_COLUMNS) {
    const i = headers.indexOf(norm(c.header));
    if (i >= 0) at.set(c.key, i);
    else if (c.required)
      problems.push({
        line: 1,
        column: c.header,
        message: `De kolom ${c.header} ontbreekt. Gebruik de kopregel van het sjabloon.`,
      });
  }
  if (problems.length) return { participants: [], problems };
  if (sheet.rows.length === 0)
    return {
      participants: [],
      problems: [{ line: 2, column: 'Naam', message: 'Het bestand heeft geen deelnemers onder de kopregel.' }],
    };
  if (sheet.rows.length > MAX_ROWS)
    return {
      participants: [],
      problems: [
        {
          line: sheet.rows[MAX_ROWS]!.line,
          column: 'Naam',
          message:
            `Het bestand heeft ${sheet.rows.length} deelnemers; er passen er hoogstens ${MAX_ROWS} in één ` +
            'upload. Verdeel ze over meer cohorten.',
        },
      ],
    };

  const { covenant, programme, schoolWeekday } = choice;
  const perWeek = programme.template.placementDaysPerWeek;
  const byName = <T extends Partner>(list: T[], value: string, extra?: (p: T) => string) =>
    list.filter((p) => norm(p.id) === norm(value) || norm(p.name) === norm(value) || extra?.(p) === norm(value));
  const header = (k: ColumnKey) => SHEET_COLUMNS.find((c) => c.key === k)!.header;

  const participants: DraftParticipant[] = [];
  const seen = {
    bsn: new Map<string, number>(),
    email: new Map<string, number>(),
    reference: new Map<string, number>(),
  };
  for (const row of sheet.rows) {
    const cell = (k: ColumnKey) => {
      const i = at.get(k);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const problem = (k: ColumnKey, message: string) => problems.push({ line: row.line, column: header(k), message });
    const required = (k: ColumnKey, what: string) => {
      if (cell(k) !== '') return true;
      problem(k, `Vul ${what} in.`);
      return false;
    };
    const before = problems.length;
    // A BSN belongs in its own column only: elsewhere it would be kept in clear.
    for (const k of ['reference', 'name', 'email', 'employer', 'jobcoach', 'payer'] as const)
      if (containsBsn(cell(k)))
        problem(k, 'Hier staat een burgerservicenummer (BSN). Zet een BSN alleen in de kolom BSN.');
    if (problems.length > before) continue;

    const reference = cell('reference') || `rij-${row.line}`;
    if (reference.length > 64 || !REFERENCE.test(reference))
      problem('reference', 'Gebruik hoogstens 64 letters, cijfers, punten, streepjes of liggende streepjes.');
    const name = cell('name');
    // eslint-disable-next-line no-control-regex -- the Text schema's rule: no control characters
    if (required('name', 'de naam') && (name.length > 200 || /[\u0000-\u001f]/.test(name)))
      problem('name', 'Gebruik hoogstens 200 gewone tekens.');
    const email = cell('email');
    if (required('email', 'het e-mailadres') && (!EMAIL.test(email) || email.length > 254))
      problem('email', `${quoted(email)} is geen geldig e-mailadres. Vul een adres in zoals naam@voorbeeld.nl.`);

    const bsn = cell('bsn').replace(/[\s.-]/g, '');
    let hash: string | undefined;
    if (bsn !== '') {
      if (!isBsn(bsn))
        problem('bsn', 'Dit is geen geldig BSN: het moet negen cijfers hebben en de elfproef doorstaan.');
      else hash = bsnHash(deps.config.BSN_HMAC_KEY, bsn);
    }

    let employerId = '';
    if (required('employer', 'de werkgever')) {
      const found = byName(covenant.employers, cell('employer'));
      if (found.length === 1) employerId = found[0]!.id;
      else
        problem(
          'employer',
          `Onbekende werkgever ${quoted(cell('employer'))}: die zit niet in het convenant ${covenant.name}.`,
        );
    }
    let benefitPayerId = '';
    if (required('payer', 'de uitkeringsinstantie')) {
      const found = byName(covenant.payers, cell('payer'));
      if (found.length === 1) benefitPayerId = found[0]!.id;
      else
        problem(
          'payer',
          `Onbekende uitkeringsinstantie ${quoted(cell('payer'))}: ` +
            `geen gemeente of UWV in het convenant ${covenant.name}.`,
        );
    }
    let jobcoachId = '';
    if (required('jobcoach', 'de jobcoach')) {
      const found = byName(covenant.jobcoaches, cell('jobcoach'), (c) => norm(c.email));
      if (found.length === 1) jobcoachId = found[0]!.id;
      else if (found.length > 1)
        problem('jobcoach', `Er zijn meer jobcoaches met de naam ${quoted(cell('jobcoach'))}. Vul het e-mailadres in.`);
      else
        problem(
          'jobcoach',
          `Onbekende jobcoach ${quoted(cell('jobcoach'))}: niet van uw programmabureau of een jobcoachpartner.`,
        );
    }

    let placementWeekdays = defaultPlacementDays(schoolWeekday, perWeek);
    const daysCell = cell('days');
    if (daysCell !== '') {
      const words = daysCell
        .toLowerCase()
        .split(/[\s,;/+&]+|\ben\b/)
        .filter(Boolean);
      const days = words.map((w) => DAY_WORDS[w.replace(/\.$/, '')]);
      if (days.some((d) => d === undefined))
        problem('days', 'Schrijf de dagen als ma, di, wo, do, vr (of voluit), gescheiden door komma’s.');
      else {
        placementWeekdays = WEEKDAYS.filter((d) => days.includes(d));
        if (placementWeekdays.includes(schoolWeekday))
          problem('days', `De ROC-dag (${WEEKDAY_NL[schoolWeekday]}) kan geen praktijkdag zijn.`);
        else if (placementWeekdays.length !== perWeek)
          problem(
            'days',
            `Het programma vraagt ${perWeek} praktijkdagen per week; hier staan er ${placementWeekdays.length}.`,
          );
      }
    }

    // Nobody twice in the list: by BSN where there is one, by e-mail address, and by reference.
    const twice = (kind: 'bsn' | 'email' | 'reference', key: string | undefined, k: ColumnKey, what: string) => {
      if (!key) return;
      const other = seen[kind].get(key);
      if (other !== undefined) problem(k, `Dubbel: rij ${other} heeft ${what}.`);
      else seen[kind].set(key, row.line);
    };
    twice('bsn', hash, 'bsn', 'hetzelfde BSN');
    twice('email', EMAIL.test(email) ? email.toLowerCase() : undefined, 'email', 'hetzelfde e-mailadres');
    twice('reference', cell('reference') ? reference : undefined, 'reference', 'dezelfde referentie');

    participants.push({
      line: row.line,
      reference,
      name,
      email,
      employerId,
      placementWeekdays,
      jobcoachId,
      benefitPayerId,
      ...(hash ? { bsnHash: hash } : {}),
    });
  }

  // Nobody who already runs in this programme at this office: by BSN where there is one, else by e-mail address.
  const running = await runningParticipants(deps.db, {
    office: choice.office,
    programmeId: programme.id,
    bsnHashes: participants.flatMap((p) => (p.bsnHash ? [p.bsnHash] : [])),
    emails: participants.filter((p) => EMAIL.test(p.email)).map((p) => p.email.toLowerCase()),
  });
  const runningBsn = new Set(running.flatMap((r) => (r.bsn_hash ? [r.bsn_hash] : [])));
  const runningEmail = new Set(running.map((r) => r.email.toLowerCase()));
  for (const p of participants) {
    if (p.bsnHash && runningBsn.has(p.bsnHash))
      problems.push({
        line: p.line,
        column: header('bsn'),
        message: 'Deze deelnemer (zelfde BSN) loopt al in dit programma.',
      });
    else if (runningEmail.has(p.email.toLowerCase()))
      problems.push({
        line: p.line,
        column: header('email'),
        message: 'Een deelnemer met dit e-mailadres loopt al in dit programma.',
      });
  }
  problems.sort(
    (a, b) =>
      a.line - b.line ||
      SHEET_COLUMNS.findIndex((c) => c.header === a.column) - SHEET_COLUMNS.findIndex((c) => c.header === b.column),
  );
  return { participants: problems.length ? [] : participants, problems };
}

/** One week of a cohort's plan: its dates, the days off in it, its checkpoints, and whether BBL is decided in it. */
export interface PlanWeek {
  week: number;
  monday: string;
  friday: string;
  daysOff: { date: string; reason: string; school: boolean }[];
  checkpoints: string[];
  bblDecision: boolean;
}

/**
 * The dated plan of a cohort, from the calendar its trajectories' workflows get at the launch (cohortCalendar:
 * the same public holidays and ROC closures, planTrajectory: the same function). Every weekday is shown, so a
 * holiday on any participant's placement day is named.
 */
export async function cohortPlan(
  deps: Pick<AppDeps, 'db'>,
  o: { template: ProgrammeTemplate; startDate: string; schoolId: string; schoolWeekday: Weekday; office: string },
): Promise<{ plan: Plan; weeks: PlanWeek[] }> {
  const { holidays, closures } = await cohortCalendar(deps.db, {
    startDate: o.startDate,
    weeks: o.template.weeks,
    schoolId: o.schoolId,
    office: o.office,
  });
  const plan = planTrajectory({
    weeks: o.template.weeks,
    checkpoints: o.template.checkpoints,
    startDate: o.startDate,
    placementWeekdays: WEEKDAYS.filter((d) => d !== o.schoolWeekday),
    schoolWeekday: o.schoolWeekday,
    holidays,
    closures,
  });
  const weeks: PlanWeek[] = [];
  for (const day of plan.days) {
    let w = weeks[day.week - 1];
    if (!w) {
      const monday = plan.days.find((d) => d.week === day.week)!.date;
      w = weeks[day.week - 1] = {
        week: day.week,
        monday,
        friday: plan.days.filter((d) => d.week === day.week).at(-1)!.date,
        daysOff: [],
        checkpoints: plan.checkpoints.filter((c) => c.week === day.week).map((c) => c.name),
        bblDecision: day.week === o.template.bblDecisionFromWeek,
      };
    }
    if (!day.planned) w.daysOff.push({ date: day.date, reason: day.reason ?? '', school: day.kind === 'school' });
  }
  return { plan, weeks };
}

/**
 * How far a launch has come: the trajectories written (0 before the cohort exists), and how many of their
 * workflows have started. A launched cohort has started every one; while it is launching, each is asked.
 */
export async function launchProgress(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>,
  cohortId: string,
): Promise<{ written: number; started: number; launched: boolean; trajectoryIds: string[] }> {
  const cohort = await findCohort(deps.db, cohortId);
  if (!cohort) return { written: 0, started: 0, launched: false, trajectoryIds: [] };
  const trajectories = await listCohortTrajectories(deps.db, cohortId);
  const trajectoryIds = trajectories.map((t) => t.id);
  if (cohort.status === 'launched')
    return { written: trajectories.length, started: trajectories.length, launched: true, trajectoryIds };
  let started = 0;
  await mapLimit(trajectories, 20, async (t) => {
    try {
      await temporalCall(deps, (client) => client.workflow.getHandle(t.workflow_id).describe());
      started++;
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  });
  return { written: trajectories.length, started, launched: false, trajectoryIds };
}
