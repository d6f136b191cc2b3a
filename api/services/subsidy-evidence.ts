// The employer's praktijkleren subsidy file (issue 21, part 4): per school year, its students' weeks of supervised
// placement as the employer confirmed them week by week (domain/subsidy.ts counts them), as JSON, xlsx or CSV for
// Dutch Excel, with each student's praktijkovereenkomst as recorded (domain/praktijkovereenkomst.ts judges it).
import { employerPlacementDays } from '../../db/evidence';
import { findOrganisation } from '../../db/organisations';
import { findPokFacts, pokRecordOf, type PokRow } from '../../db/praktijkovereenkomst';
import { localDate } from '../../domain/calendar';
import { pokStanding } from '../../domain/praktijkovereenkomst';
import {
  applicationDeadline,
  MAX_SUBSIDY_WEEKS,
  schoolYear,
  SUBSIDY_RETENTION_YEARS,
  supervisedWeeks,
} from '../../domain/subsidy';
import { dutchDay } from '../../domain/dutch';
import { dutchCsvOf, sheetOf, xlsxOf, type Column } from '../../web/spreadsheet';
import type { Principal } from '../auth';
import { notFound, says, unprocessable } from '../errors';
import { actingOffice } from '../ownership';
import type { SubsidyEvidence } from '../schemas/evidence';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db' | 'now'>;
type Student = SubsidyEvidence['students'][number];

export async function subsidyEvidence(
  deps: Deps,
  principal: Principal,
  employerId: string,
  label: string,
): Promise<SubsidyEvidence> {
  const year = schoolYear(label);
  if (!year)
    throw unprocessable([
      {
        field: 'schoolYear',
        message: 'must be two consecutive years, e.g. 2025-2026',
        nl: 'moet twee opeenvolgende jaren zijn, bijvoorbeeld 2025-2026',
      },
    ]);
  const employer = await findOrganisation(deps.db, employerId);
  if (!employer || employer.kind !== 'employer')
    throw notFound(says(`Employer ${employerId}`, `Werkgever ${employerId}`));
  const rows = await employerPlacementDays(deps.db, employerId, year.from, year.to, actingOffice(principal));
  const byTrajectory = new Map<string, typeof rows>();
  for (const r of rows) byTrajectory.set(r.trajectory_id, [...(byTrajectory.get(r.trajectory_id) ?? []), r]);
  const today = localDate(deps.now?.() ?? Date.now());
  const students: Student[] = [];
  for (const [trajectoryId, days] of byTrajectory) {
    const w = supervisedWeeks(days, year);
    if (w.recorded === 0) continue;
    const first = days[0]!;
    students.push({
      trajectoryId,
      reference: first.reference,
      name: first.name,
      bblContractStart: first.contract_start,
      weeksRecorded: w.recorded,
      weeksCounted: w.counted,
      weeks: w.weeks,
      pok: pokOf(await findPokFacts(deps.db, trajectoryId), today),
    });
  }
  return {
    employerId,
    employerName: employer.name,
    schoolYear: year.label,
    from: year.from,
    to: year.to,
    applicationDeadline: applicationDeadline(year),
    maxWeeks: MAX_SUBSIDY_WEEKS,
    keepUntil: Number(year.to.slice(0, 4)) + SUBSIDY_RETENTION_YEARS,
    students,
  };
}

/**
 * The POK's status for the file, judged today: none until the ROC drew it up (it cannot before the BBL contract
 * start is confirmed); valid by the domain's rule; signed on the day of the last of the three signatures.
 */
function pokOf(t: PokRow | undefined, today: string): Student['pok'] {
  if (!t?.contract_start || !t.drawn_up_on) return { status: 'geen', bpvBladNeeded: false };
  const s = pokStanding(pokRecordOf(t), {
    contractStart: t.contract_start,
    currentEmployer: t.current_employer_id,
    date: today,
  });
  const signedOn = s.signed ? [t.participant_on!, t.employer_on!, t.school_on!].sort().at(-1) : undefined;
  return { status: s.valid ? 'geldig' : 'niet rond', ...(signedOn && { signedOn }), bpvBladNeeded: s.bpvBladNeeded };
}

const pokCell = (p: Student['pok']) =>
  [
    p.status,
    ...(p.signedOn ? [`getekend ${p.signedOn}`] : []),
    ...(p.bpvBladNeeded ? ['nieuw bpv-blad nodig'] : []),
  ].join(', ');

const STUDENT_COLUMNS: Column<Student>[] = [
  { header: 'Kenmerk deelnemer', value: (s) => s.reference },
  { header: 'Naam', value: (s) => s.name, width: 28 },
  { header: 'BBL-contract vanaf', value: (s) => s.bblContractStart ?? '' },
  { header: 'Weken met begeleiding', value: (s) => s.weeksRecorded },
  { header: `Weken die tellen (max. ${MAX_SUBSIDY_WEEKS})`, value: (s) => s.weeksCounted, width: 24 },
  { header: 'POK-status', value: (s) => pokCell(s.pok), width: 36 },
];

type WeekRow = { reference: string; name: string; monday: string; daysPresent: number };
const WEEK_COLUMNS: Column<WeekRow>[] = [
  { header: 'Kenmerk deelnemer', value: (w) => w.reference },
  { header: 'Naam', value: (w) => w.name, width: 28 },
  { header: 'Week van (maandag)', value: (w) => w.monday },
  { header: 'Dagen aanwezig op de werkplek', value: (w) => w.daysPresent, width: 24 },
];

/** The file's explanation: what counts, where it comes from, and how long to keep it. */
function explanation(e: SubsidyEvidence): { text: string }[] {
  return [
    `Bewijsstukken subsidie praktijkleren, ${e.employerName}, schooljaar ${e.schoolYear} ` +
      `(${dutchDay(e.from)} tot en met ${dutchDay(e.to)}).`,
    'Een week telt als u de deelnemer in Toeleiding in die week op ten minste één werkdag aanwezig hebt gemeld ' +
      `(de wekelijkse bevestiging van de aanwezigheid, met begeleiding op de werkplek). Per schooljaar tellen ten ` +
      `hoogste ${e.maxWeeks} weken.`,
    'De subsidie geldt alleen voor een BBL-student met een geldige praktijkovereenkomst (POK) bij een erkend ' +
      'leerbedrijf. De kolom POK-status geeft de POK zoals die in Toeleiding is vastgelegd: geldig (getekend door ' +
      'de deelnemer, het leerbedrijf en het ROC, met de datum van de laatste handtekening), niet rond (een ' +
      'handtekening of een nieuw bpv-blad ontbreekt) of geen (nog niet opgesteld). Het POK-kenmerk staat op de ' +
      'POK zelf.',
    `Vraag de subsidie aan vóór ${dutchDay(e.applicationDeadline)} (controleer de datum bij RVO).`,
    `Bewaar dit bestand met de POK's 5 jaar, tot en met ${e.keepUntil}: RVO kan er om vragen.`,
  ].map((text) => ({ text }));
}

export const subsidyXlsx = (e: SubsidyEvidence) =>
  xlsxOf(
    sheetOf({
      name: 'Toelichting',
      columns: [{ header: 'Toelichting', value: (r) => r.text, width: 120 }],
      rows: explanation(e),
    }),
    sheetOf({ name: 'Deelnemers', columns: STUDENT_COLUMNS, rows: e.students }),
    sheetOf({
      name: 'Weken',
      columns: WEEK_COLUMNS,
      rows: e.students.flatMap((s) => s.weeks.map((w) => ({ reference: s.reference, name: s.name, ...w }))),
    }),
  );

/** The CSV holds the students; its first lines are the explanation (a CSV has no tabs). */
export const subsidyCsv = (e: SubsidyEvidence) => {
  const csv = dutchCsvOf(STUDENT_COLUMNS, e.students);
  const head = dutchCsvOf([{ header: 'Toelichting', value: (r: { text: string }) => r.text }], explanation(e));
  return head + '\r\n' + csv.replace(/^\ufeff/, '');
};

export const subsidyFileName = (e: SubsidyEvidence) => `subsidie-praktijkleren-${e.employerId}-${e.schoolYear}`;
