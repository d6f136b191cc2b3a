// The recruitment funnel (issue 20.4): a round's for its office, the funders' figures over rounds with small cells
// suppressed (the one rule of domain/suppression.ts, as the outcome figures), each as JSON or a download for Dutch
// Excel; and the preview of a round's dates from its information session.
import { dutchHolidays } from '../../activities/holidays';
import { funnelEvents, roundsWithin, type FunnelRound } from '../../db/funnel';
import { findRound } from '../../db/recruitment';
import { addDays } from '../../domain/calendar';
import { funnelOf, suppressFunnel, type Funnel, type FunnelStep, type ShownFunnelStep } from '../../domain/funnel';
import { SUPPRESSED_NL } from '../../domain/outcome-words';
import { checkDraaiboek, LEAVE_REASONS, WELSLAGEN_DRAAIBOEK, type LeaveReason } from '../../domain/recruitment';
import { previewRefusalInWords, previewRound } from '../../domain/round-preview';
import { MIN_CELL } from '../../domain/suppression';
import { dutchCsvOf, sheetOf, xlsxOf, type Column } from '../../web/spreadsheet';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { notFound, says, unprocessable, type FieldProblem } from '../errors';
import { actingOffice } from '../ownership';
import type {
  NewRoundPreview,
  RecruitmentFigureQuery,
  RecruitmentFigures,
  RoundFunnel,
  RoundPreviewView,
} from '../schemas/funnel';
import { visibleProgrammes } from './programmes';

type Deps = Pick<AppDeps, 'db'>;
const REASONS = Object.keys(LEAVE_REASONS) as LeaveReason[];

export async function roundFunnel(deps: Deps, id: string): Promise<RoundFunnel & Funnel> {
  const round = await findRound(deps.db, id);
  if (!round) throw notFound(says(`Recruitment round ${id}`, `Wervingsronde ${id}`));
  const events = await funnelEvents(deps.db, [id]);
  const f = funnelOf(round.draaiboek, events.get(id)!);
  return {
    roundId: round.id,
    name: round.name,
    programmeId: round.programme_id,
    region: round.region,
    ...f,
  };
}

const days = (n: number | null) => n ?? '';

/** A round's funnel for Dutch Excel: one row per step, Dutch headers, a column per reason for leaving. */
export const FUNNEL_COLUMNS: Column<FunnelStep>[] = [
  { header: 'Stap', value: (s) => s.name, width: 32 },
  { header: 'Bereikt', value: (s) => s.entered, width: 10 },
  { header: 'Door naar de volgende stap', value: (s) => s.passed, width: 14 },
  { header: 'Gestopt', value: (s) => s.left, width: 10 },
  ...REASONS.map((r): Column<FunnelStep> => ({ header: `Gestopt: ${LEAVE_REASONS[r]}`, value: (s) => s.leftBy[r] })),
  { header: 'Nog bezig', value: (s) => s.inProgress, width: 10 },
  { header: 'Waarvan te laat', value: (s) => s.overdue, width: 10 },
  { header: 'Uitkomsten', value: (s) => s.days.n, width: 10 },
  { header: 'Dagen: mediaan', value: (s) => days(s.days.median), width: 10 },
  { header: 'Dagen: eerste kwartiel', value: (s) => days(s.days.q1), width: 10 },
  { header: 'Dagen: derde kwartiel', value: (s) => days(s.days.q3), width: 10 },
  { header: 'Dagen: kortst', value: (s) => days(s.days.min), width: 10 },
  { header: 'Dagen: langst', value: (s) => days(s.days.max), width: 10 },
];

export const funnelCsv = (f: Funnel) => dutchCsvOf(FUNNEL_COLUMNS, f.steps);
export const funnelXlsx = (f: Funnel) => xlsxOf(sheetOf({ name: 'Trechter', columns: FUNNEL_COLUMNS, rows: f.steps }));

// --- for funders ---------------------------------------------------------------------------------------------

export const SUPPRESSION_RULE =
  `Counts of 1 to ${MIN_CELL - 1} people are null, and so is the next smallest count of a step whose total is ` +
  `shown; a step's passed is the next step's total, so once it is null every later step is too. No suppressed ` +
  `count can be worked out by subtraction. A median needs ${MIN_CELL} outcomes and the step's counts shown.`;

/** Rounds go together when they count the same steps in the same order (their programme and region's draaiboek). */
const stepsOf = (r: FunnelRound) => r.draaiboek.steps.map((s) => `${s.key}:${s.kind}`).join(',');

/**
 * Whether a caller may see the figures per round: a coordinator (of its own office's rounds only, as every round
 * it is shown is its own) and the admin, who read each round's exact funnel anyway. Everyone else (a funder, any
 * key a coordinator made for someone else) gets ONE level only, per programme and region: suppressing each
 * level on its own is not enough, as a region's total minus the rounds shown would give a hidden round back.
 */
export const seesRounds = (p: Principal) => p.role === 'admin' || p.role === 'coordinator';

export async function recruitmentFigures(
  deps: Deps,
  p: Principal,
  q: RecruitmentFigureQuery,
): Promise<RecruitmentFigures> {
  const roundLevel = seesRounds(p);
  const per = q.per ?? (roundLevel ? 'round' : 'region');
  if (!roundLevel) {
    const problems: FieldProblem[] = [];
    if (per === 'round')
      problems.push({
        field: 'per',
        message: 'figures per round are for the coordinators of its own office; ask per=region',
        nl:
          'cijfers per wervingsronde zijn alleen voor de coördinatoren van het eigen programmabureau; ' +
          'vraag per=region',
      });
    if (q.roundId !== undefined)
      problems.push({
        field: 'roundId',
        message: 'figures of one round are for the coordinators of its own office; leave roundId out',
        nl:
          'cijfers van één wervingsronde zijn alleen voor de coördinatoren van het eigen programmabureau; ' +
          'laat roundId weg',
      });
    if (problems.length > 0) throw unprocessable(problems);
  }
  const office = actingOffice(p);
  const rounds = await roundsWithin(deps.db, {
    officeId: office ?? undefined,
    programmeId: q.programmeId,
    region: q.region,
    roundId: q.roundId,
  });
  const events = await funnelEvents(
    deps.db,
    rounds.map((r) => r.id),
  );
  const groups = new Map<string, FunnelRound[]>();
  for (const r of rounds) {
    const key = per === 'round' ? r.id : `${r.programmeId}\u0000${r.region}\u0000${stepsOf(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return {
    per,
    groups: [...groups.values()].map((rs) => {
      const first = rs[0]!;
      const shown = suppressFunnel(
        funnelOf(
          first.draaiboek,
          rs.flatMap((r) => events.get(r.id)!),
        ),
      );
      return {
        programmeId: first.programmeId,
        region: first.region,
        roundId: per === 'round' ? first.id : null,
        name: per === 'round' ? first.name : `${first.programmeId}, ${first.region}`,
        rounds: rs.length,
        ...shown,
      };
    }),
    suppression: SUPPRESSION_RULE,
  };
}

type FigureRow = { group: RecruitmentFigures['groups'][number]; step: ShownFunnelStep };
const shown = (n: number | null) => n ?? SUPPRESSED_NL;

/** The funders' figures for Dutch Excel: one row per round (or region) and step, a suppressed count as "< 5". */
export const FIGURE_COLUMNS: Column<FigureRow>[] = [
  { header: 'Programma', value: (r) => r.group.programmeId, width: 16 },
  { header: 'Regio', value: (r) => r.group.region, width: 18 },
  {
    header: 'Ronde',
    value: (r) =>
      r.group.roundId !== null ? r.group.name : `${r.group.rounds} ${r.group.rounds === 1 ? 'ronde' : 'rondes'}`,
    width: 24,
  },
  { header: 'Stap', value: (r) => r.step.name, width: 32 },
  { header: 'Bereikt', value: (r) => shown(r.step.entered), width: 10 },
  { header: 'Door naar de volgende stap', value: (r) => shown(r.step.passed), width: 14 },
  { header: 'Gestopt', value: (r) => shown(r.step.left), width: 10 },
  ...REASONS.map((k): Column<FigureRow> => ({
    header: `Gestopt: ${LEAVE_REASONS[k]}`,
    value: (r) => shown(r.step.leftBy[k] ?? 0),
  })),
  { header: 'Nog bezig', value: (r) => shown(r.step.inProgress), width: 10 },
  { header: 'Dagen: mediaan', value: (r) => r.step.medianDays ?? '', width: 10 },
];

export const figureRowsOf = (f: RecruitmentFigures): FigureRow[] =>
  f.groups.flatMap((group) => group.steps.map((step) => ({ group, step })));

export const figuresCsv = (f: RecruitmentFigures) => dutchCsvOf(FIGURE_COLUMNS, figureRowsOf(f));
/** What "< 5" and an empty median mean, in the workbook itself: it travels without the page beside it. */
const FIGURE_NOTES = [
  `"${SUPPRESSED_NL}": 1 tot en met ${MIN_CELL - 1} kandidaten, of het kleinste andere aantal van dezelfde stap, ` +
    'verborgen zodat een klein aantal niet uit het totaal is terug te rekenen. Wie een stap doorkomt, bereikt de ' +
    'volgende: is dat aantal verborgen, dan ook de stappen erna. Een 0 is echt 0.',
  `Dagen: de mediaan van de dagen van het bereiken van de stap tot de uitkomst, alleen bij ${MIN_CELL} of meer ` +
    'uitkomsten en zichtbare aantallen.',
];

export const figuresXlsx = (f: RecruitmentFigures) =>
  xlsxOf(
    sheetOf({ name: 'Werving', columns: FIGURE_COLUMNS, rows: figureRowsOf(f) }),
    sheetOf({
      name: 'Toelichting',
      columns: [{ header: 'Toelichting', value: (r: string) => r, width: 120 }],
      rows: FIGURE_NOTES,
    }),
  );

// --- preview -------------------------------------------------------------------------------------------------

export async function previewRoundDates(deps: Deps, p: Principal, body: NewRoundPreview): Promise<RoundPreviewView> {
  const problems: FieldProblem[] = [];
  if (!(await visibleProgrammes(deps, p)).some((x) => x.id === body.programmeId))
    problems.push({
      field: 'programmeId',
      message: `programme ${body.programmeId} does not exist or is not visible to you`,
      nl: `programma ${body.programmeId} bestaat niet of is niet zichtbaar voor u`,
    });
  const draaiboek = body.draaiboek ?? WELSLAGEN_DRAAIBOEK;
  for (const d of checkDraaiboek(draaiboek)) problems.push({ field: d.field, message: d.en, nl: d.nl });
  if (problems.length > 0) throw unprocessable(problems);
  const S = body.informationSession;
  // Every step at its latest, and a few weeks for the cohort's Monday after holidays.
  const horizon = draaiboek.steps.reduce((n, s) => n + s.withinDays, 0) + 28;
  const result = previewRound(draaiboek, S, dutchHolidays(addDays(S, -130), addDays(S, horizon)));
  if ('refusal' in result) {
    const words = previewRefusalInWords(result.refusal);
    throw unprocessable([
      {
        field: 'informationSession',
        message: `${words.en}: the information session must be on a working day`,
        nl: `${words.nl} De voorlichting moet op een werkdag zijn.`,
      },
    ]);
  }
  return result.preview;
}
