// The figures funders query themselves: counts over the projected rows, with small cells suppressed so that
// no count of 1 to 4 people is shown or can be worked out from a total. docs/outcomes.md defines each figure.
// And the outcomes per participant, by pseudonymous reference: a benefit payer sees those whose benefit it pays.
import { stringify } from 'csv-stringify/sync';
import { listParticipantOutcomes, outcomeCounts } from '../../db/outcomes';
import { praktijkverklaringCounts } from '../../db/praktijkverklaring';
import { doorstroomPokCounts } from '../../db/praktijkovereenkomst';
import { WITHOUT_BBL } from '../../domain/praktijkverklaring';
import { outcomeFilter } from '../access';
import type { Principal } from '../auth';
import { BSN_FAILS_ELFPROEF, bsnHash, isBsn } from '../bsn';
import { unprocessable } from '../errors';
import { actingOffice } from '../ownership';
import type { FigureQuery, OutcomeFigures, OutcomeQuery, ParticipantOutcome } from '../schemas/outcome';
import { OUTCOME_KINDS } from '../../domain/outcomes';
import { RUNNING_STATUSES } from '../../domain/statuses';
import { MIN_CELL, suppressGroup, suppressPart, suppressTotal } from '../../domain/suppression';
import type { AppDeps } from '../deps';
import {
  ANSWER_NL,
  CHECKPOINT_STATUS_NL,
  DROPOUT_REASON_NL,
  STANDING_NL,
  SUPPRESSED_NL,
  wordFor,
} from '../../domain/outcome-words';
import { dutchCsvOf, type Column } from '../../web/spreadsheet';

type Row = Awaited<ReturnType<typeof listParticipantOutcomes>>['items'][number];
const toView = (r: Row): ParticipantOutcome => ({
  trajectoryId: r.id,
  reference: r.reference,
  cohortId: r.cohort_id,
  benefitPayerId: r.benefit_payer_id,
  status: r.status,
  endDate: r.end_date,
  outcome: r.outcome,
});

/** A page of per-participant outcomes by reference, within what the caller may see (outcomeFilter). */
export async function pageParticipantOutcomes(deps: Pick<AppDeps, 'db'>, p: Principal, q: OutcomeQuery) {
  const { items, total } = await listParticipantOutcomes(deps.db, { ...q, ...outcomeFilter(p) });
  return { items: items.map(toView), total, limit: q.limit, offset: q.offset };
}

/**
 * The participants with this BSN whose outcomes the caller may see (none, or one). The BSN is checked (elfproef)
 * and hashed at once; it is not kept.
 */
export async function lookUpParticipantOutcomes(deps: Pick<AppDeps, 'db' | 'config'>, p: Principal, bsn: string) {
  if (!isBsn(bsn)) throw unprocessable([{ field: 'bsn', ...BSN_FAILS_ELFPROEF }]);
  const { items, total } = await listParticipantOutcomes(deps.db, {
    bsnHash: bsnHash(deps.config.BSN_HMAC_KEY, bsn),
    ...outcomeFilter(p),
    limit: 50,
    offset: 0,
  });
  return { items: items.map(toView), total, limit: 50, offset: 0 };
}

/** Where a participant can stand: still under way (by status), or its outcome. */
const STATES = [...RUNNING_STATUSES, ...OUTCOME_KINDS] as const;

export async function outcomeFigures(deps: Pick<AppDeps, 'db'>, p: Principal, q: FigureQuery): Promise<OutcomeFigures> {
  const { format: _, ...filter } = q;
  const scope = { ...filter, programmeOfficeId: actingOffice(p) ?? undefined };
  const [raw, statements, poks] = await Promise.all([
    outcomeCounts(deps.db, scope),
    praktijkverklaringCounts(deps.db, scope),
    doorstroomPokCounts(deps.db, scope),
  ]);

  // Where each participant stands: the outcome once decided, else the status.
  const participants: Record<string, number> = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const r of raw.statuses) {
    const state =
      r.kind ?? (r.status === 'dropped_out' ? 'dropout' : r.status === 'ended' ? 'no_doorstroom' : r.status);
    participants[state] = (participants[state] ?? 0) + Number(r.n);
  }
  const startedCount = Object.values(participants).reduce((a, b) => a + b, 0);
  const started = suppressTotal(startedCount);
  const shownParticipants = suppressGroup(participants, started);

  const byReason: Record<string, number> = {};
  const byWeek: Record<string, number> = {};
  for (const d of raw.dropouts) {
    byReason[d.reason] = (byReason[d.reason] ?? 0) + Number(d.n);
    byWeek[String(d.week)] = (byWeek[String(d.week)] ?? 0) + Number(d.n);
  }
  // A hidden dropout total hides its breakdowns too, or they would add up to it.
  const dropouts = shownParticipants.dropout ?? null;

  const checkpoints: Record<string, Record<string, number>> = {};
  for (const c of raw.checkpoints)
    (checkpoints[c.key] ??= { on_track: 0, concerns: 0, at_risk: 0 })[c.status] = Number(c.n);

  // Follow-up after doorstroom: per month, how many were asked and what the answers were.
  const followUp: OutcomeFigures['followUp'] = {};
  for (const f of raw.followUps) {
    const employed = {
      yes: Number(f.employed_yes),
      no: Number(f.employed_no),
      noAnswer: Number(f.employed_none),
      open: Number(f.employed_open),
    };
    const enrolled = {
      yes: Number(f.enrolled_yes),
      no: Number(f.enrolled_no),
      noAnswer: Number(f.enrolled_none),
      open: Number(f.enrolled_open),
    };
    const asked = suppressTotal(Number(f.asked));
    const enrolmentAsked = suppressTotal(Number(f.enrolment_asked));
    followUp[String(f.months)] = {
      asked,
      employed: suppressGroup(employed, asked),
      enrolmentAsked,
      enrolled: suppressGroup(enrolled, enrolmentAsked),
    };
  }

  // Praktijkverklaringen: a total of its own, and by the ending it followed, suppressed as every group.
  const byOutcome: Record<string, number> = Object.fromEntries(WITHOUT_BBL.map((k) => [k, 0]));
  for (const s of statements) byOutcome[s.kind] = (byOutcome[s.kind] ?? 0) + Number(s.n);
  const statementFigures = suppressPart(byOutcome, participants, shownParticipants);

  // Doorstroom counts only with a valid POK: BBL doorstroom split in two, a group adding up to its shown count. Read
  // by its own statement (not from the outcome cells): a signature changes it without changing the outcome.
  const doorstroomPok = suppressGroup(
    { valid: poks.valid, pending: Math.max(0, (participants.bbl_doorstroom ?? 0) - poks.valid) },
    shownParticipants.bbl_doorstroom ?? null,
  );

  const attendanceParticipants = Number(raw.attendance.participants);
  const enough = attendanceParticipants >= MIN_CELL;
  return {
    filter,
    started,
    participants: shownParticipants,
    dropoutByReason: suppressGroup(byReason, dropouts),
    dropoutByWeek: suppressGroup(byWeek, dropouts),
    attendance: {
      participants: suppressTotal(attendanceParticipants),
      recordedDays: enough ? Number(raw.attendance.days) : null,
      rate:
        enough && Number(raw.attendance.days) > 0
          ? Math.round((1000 * Number(raw.attendance.attended)) / Number(raw.attendance.days)) / 1000
          : null,
    },
    checkpoints: Object.fromEntries(
      Object.entries(checkpoints).map(([key, cells]) => [
        key,
        suppressGroup(cells, suppressTotal(Object.values(cells).reduce((a, b) => a + b, 0))),
      ]),
    ),
    followUp,
    praktijkverklaring: { confirmed: statementFigures.total, byOutcome: statementFigures.cells },
    doorstroomPok: { valid: doorstroomPok.valid ?? null, pending: doorstroomPok.pending ?? null },
    suppression:
      `Counts of 1 to ${MIN_CELL - 1} people are null, and so is the next smallest count of a group whose ` +
      `total is shown, so no suppressed count can be worked out by subtraction.`,
  };
}

/**
 * One figure: what is counted and of which category, by the keys of today's CSV (`figure`, `category`) and in Dutch
 * words (`nl`), and the count (null when suppressed). The attendance rate is a fraction; in Dutch a percentage.
 */
export interface FigureRow {
  figure: string;
  category: string;
  count: number | null;
  nl: { figure: string; category: string; count: number | null };
}

/** Every figure as a row, in one order for every format: the CSV, the CSV for Dutch Excel, the page's downloads. */
export function figureRows(f: OutcomeFigures): FigureRow[] {
  const rows: FigureRow[] = [];
  const add = (figure: string, category: string, count: number | null, nl: [string, string], nlCount = count) =>
    rows.push({ figure, category, count, nl: { figure: nl[0], category: nl[1], count: nlCount } });
  add('started', '', f.started, ['Gestart', 'Deelnemers']);
  for (const [k, v] of Object.entries(f.participants))
    add('participants', k, v, ['Stand van de deelnemers', wordFor(STANDING_NL, k)]);
  for (const [k, v] of Object.entries(f.dropoutByReason))
    add('dropout_by_reason', k, v, ['Uitval naar reden', wordFor(DROPOUT_REASON_NL, k)]);
  for (const [k, v] of Object.entries(f.dropoutByWeek)) add('dropout_by_week', k, v, ['Uitval naar week', `Week ${k}`]);
  add('attendance', 'participants', f.attendance.participants, ['Aanwezigheid', 'Deelnemers met geregistreerde dagen']);
  add('attendance', 'recorded_days', f.attendance.recordedDays, ['Aanwezigheid', 'Geregistreerde dagen']);
  const percent = f.attendance.rate === null ? null : Math.round(f.attendance.rate * 1000) / 10;
  add(
    'attendance',
    'rate',
    f.attendance.rate,
    ['Aanwezigheid', 'Aanwezig (procent van de geregistreerde dagen)'],
    percent,
  );
  for (const [key, cells] of Object.entries(f.checkpoints))
    for (const [k, v] of Object.entries(cells))
      add(`checkpoint_${key}`, k, v, [`Checkpoint ${key}`, wordFor(CHECKPOINT_STATUS_NL, k)]);
  for (const [months, g] of Object.entries(f.followUp)) {
    const after = `Nazorg na ${months} maanden`;
    add(`follow_up_${months}m`, 'asked', g.asked, [after, 'Gevraagd naar werk']);
    for (const [k, v] of Object.entries(g.employed))
      add(`follow_up_${months}m_employed`, k, v, [`${after}: werkt nog bij de werkgever`, wordFor(ANSWER_NL, k)]);
    add(`follow_up_${months}m`, 'enrolment_asked', g.enrolmentAsked, [after, 'Gevraagd naar BBL-inschrijving']);
    for (const [k, v] of Object.entries(g.enrolled))
      add(`follow_up_${months}m_enrolled`, k, v, [`${after}: nog ingeschreven bij het ROC`, wordFor(ANSWER_NL, k)]);
  }
  add('praktijkverklaring', 'confirmed', f.praktijkverklaring.confirmed, [
    'Praktijkverklaring',
    'Bevestigd door het ROC',
  ]);
  for (const [k, v] of Object.entries(f.praktijkverklaring.byOutcome))
    add('praktijkverklaring_by_outcome', k, v, ['Praktijkverklaring naar einde', wordFor(STANDING_NL, k)]);
  add('doorstroom_pok', 'valid', f.doorstroomPok.valid, [
    'Doorstroom naar BBL en praktijkovereenkomst',
    'Doorstroom (praktijkovereenkomst rond)',
  ]);
  add('doorstroom_pok', 'pending', f.doorstroomPok.pending, [
    'Doorstroom naar BBL en praktijkovereenkomst',
    'Doorstroom, POK nog niet rond',
  ]);
  return rows;
}

/** One row per figure: figure, category, count (empty when suppressed). The format existing callers read. */
export function figuresCsv(f: OutcomeFigures): string {
  return stringify([
    ['figure', 'category', 'count'],
    ...figureRows(f).map((r) => [r.figure, r.category, r.count === null ? '' : r.count]),
  ]);
}

/** The figures as Dutch Excel shows them: Dutch headers and words, a suppressed count as "< 5". */
export const DUTCH_FIGURE_COLUMNS: Column<FigureRow>[] = [
  { header: 'Cijfer', value: (r) => r.nl.figure, width: 44 },
  { header: 'Categorie', value: (r) => r.nl.category, width: 44 },
  { header: 'Aantal', value: (r) => r.nl.count ?? SUPPRESSED_NL, width: 10 },
];

/** CSV for Dutch Excel (web/spreadsheet.ts: semicolons, a byte-order mark, a decimal comma), Dutch headers. */
export const figuresDutchCsv = (f: OutcomeFigures): string => dutchCsvOf(DUTCH_FIGURE_COLUMNS, figureRows(f));
