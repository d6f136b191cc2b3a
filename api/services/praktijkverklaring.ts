// The praktijkverklaring route (issue 21, part 3). The coordinator sets which work processes of a programme's
// qualification each placement can offer; the praktijkopleider (employer key) records per work process when the
// participant showed it; the jobcoach, the ROC and the coordinator read it; the ROC confirms the statement once the
// trajectory has ended without BBL and exports what the Praktijkloket asks for. Kept beside the workflow (the
// trajectory's outcome stays how the 20 weeks ended): a confirmation after the end must work on a finished
// workflow, and recorded histories replay unchanged.
import { findContact } from '../../db/covenants';
import { findProgramme, findProgrammeFor } from '../../db/programmes';
import {
  evidenceOf,
  findPraktijkverklaring,
  insertPraktijkverklaring,
  offeredCodes,
  recordEvidence,
  setPlacementWorkProcesses,
  trajectoryWithProgramme,
} from '../../db/praktijkverklaring';
import { findOwnedOrganisation } from '../../db/ownership';
import { localDate } from '../../domain/calendar';
import { praktijkverklaringRefusal, unknownCodes } from '../../domain/praktijkverklaring';
import type { ProgrammeTemplate } from '../../domain/programme';
import type { Scope } from '../access';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { conflict, notFound, says, unprocessable, type FieldProblem } from '../errors';
import { actingOffice } from '../ownership';
import type {
  PlacementOffer,
  PlacementOfferView,
  PraktijkverklaringConfirmation,
  PraktijkverklaringExport,
  PraktijkverklaringExportRow,
  WorkProcessOverview,
  WorkProcessShown,
} from '../schemas/praktijkverklaring';

import { dutchCsvOf, sheetOf, xlsxOf, type Column } from '../../web/spreadsheet';

type Deps = Pick<AppDeps, 'db' | 'now'>;
const today = (deps: Deps) => localDate(deps.now?.() ?? Date.now());

const notInTemplate = (field: string, codes: string[]): FieldProblem => ({
  field,
  message: `${codes.join(', ')}: not a work process of the programme`,
  nl: `${codes.join(', ')}: geen werkproces van het programma`,
});

/** Sets the work processes an employer's placement offers in a programme (the newest version the office runs). */
export async function setPlacementOffer(
  deps: Deps,
  p: Principal,
  employerId: string,
  body: PlacementOffer,
): Promise<PlacementOfferView> {
  const org = await findOwnedOrganisation(deps.db, employerId);
  const office = actingOffice(p);
  const programme =
    office === null
      ? await findProgramme(deps.db, body.programmeId)
      : await findProgrammeFor(deps.db, office, body.programmeId);
  const problems: FieldProblem[] = [];
  if (org?.kind !== 'employer')
    problems.push({
      field: 'id',
      message: 'only an employer offers placements',
      nl: 'alleen een werkgever biedt stageplaatsen',
    });
  if (!programme)
    problems.push({
      field: 'programmeId',
      message: `programme ${body.programmeId} does not exist or is not visible to you`,
      nl: `programma ${body.programmeId} bestaat niet of is niet zichtbaar voor u`,
    });
  else {
    const unknown = unknownCodes(body.codes, programme.template.workProcesses);
    if (unknown.length > 0) problems.push(notInTemplate('codes', unknown));
  }
  if (problems.length > 0) throw unprocessable(problems);
  await setPlacementWorkProcesses(deps.db, {
    employerId,
    programmeId: body.programmeId,
    codes: body.codes,
    setBy: p.actor,
  });
  return {
    employerId,
    programmeId: body.programmeId,
    codes: await offeredCodes(deps.db, employerId, body.programmeId),
  };
}

async function trajectoryOf(deps: Deps, id: string) {
  const t = await trajectoryWithProgramme(deps.db, id);
  if (!t) throw notFound(says(`trajectory ${id}`, `traject ${id}`));
  return t;
}

/** The praktijkopleider records that the participant showed a work process its placement offers. */
export async function recordWorkProcess(
  deps: Deps,
  p: Principal,
  trajectoryId: string,
  scope: Scope,
  body: WorkProcessShown,
): Promise<WorkProcessOverview> {
  const t = await trajectoryOf(deps, trajectoryId);
  const employerId = p.organisationId ?? t.employer_id;
  const problems: FieldProblem[] = [];
  const template = t.template as ProgrammeTemplate;
  if (unknownCodes([body.code], template.workProcesses).length > 0) problems.push(notInTemplate('code', [body.code]));
  else if (!(await offeredCodes(deps.db, employerId, t.programme_id)).includes(body.code))
    problems.push({
      field: 'code',
      message: `${body.code} is not a work process this placement offers (the coordinator sets them)`,
      nl: `${body.code} is geen werkproces dat deze stageplaats biedt (de coördinator legt die vast)`,
    });
  if (body.shownOn > today(deps))
    problems.push({ field: 'shownOn', message: 'lies in the future', nl: 'ligt in de toekomst' });
  const from = scope.from ?? t.start_date;
  if (body.shownOn < from)
    problems.push({
      field: 'shownOn',
      message: `lies before the placement began (${from})`,
      nl: `ligt vóór het begin van de stage (${from})`,
    });
  const assessor = body.assessor ?? (p.contactId ? await contactName(deps, p.contactId) : undefined);
  if (!assessor)
    problems.push({
      field: 'assessor',
      message: "name the praktijkopleider who saw it: the Praktijkloket asks for the assessor's name",
      nl: 'noem de praktijkopleider die het zag: het Praktijkloket vraagt naar de naam van de beoordelaar',
    });
  if (t.anonymised_at)
    problems.push({
      field: 'trajectory',
      message: 'the participant is anonymised',
      nl: 'de deelnemer is geanonimiseerd',
    });
  if (problems.length > 0) throw unprocessable(problems);
  await recordEvidence(deps.db, {
    trajectory_id: trajectoryId,
    code: body.code,
    shown_on: body.shownOn,
    note: body.note,
    assessor: assessor!,
    employer_id: employerId,
    recorded_by: p.actor,
  });
  return workProcessOverview(deps, p, trajectoryId);
}

async function contactName(deps: Deps, contactId: string): Promise<string | undefined> {
  return (await findContact(deps.db, contactId))?.name;
}

/**
 * Every work process of the trajectory's programme: whether its current placement offers it and when it was shown.
 * An employer sees only what it recorded itself: another employer's evidence is not its business.
 */
export async function workProcessOverview(
  deps: Deps,
  p: Principal,
  trajectoryId: string,
): Promise<WorkProcessOverview> {
  const t = await trajectoryOf(deps, trajectoryId);
  const [offered, evidence, statement] = await Promise.all([
    offeredCodes(deps.db, t.employer_id, t.programme_id),
    evidenceOf(deps.db, trajectoryId, p.role === 'employer' ? p.organisationId! : undefined),
    findPraktijkverklaring(deps.db, trajectoryId),
  ]);
  return {
    trajectoryId,
    workProcesses: ((t.template as ProgrammeTemplate).workProcesses ?? []).map((w) => {
      const e = evidence.find((x) => x.code === w.code);
      return {
        code: w.code,
        name: w.name,
        offered: offered.includes(w.code),
        shown: e
          ? {
              on: e.shown_on,
              note: e.note,
              assessor: e.assessor,
              employerId: e.employer_id,
              employerName: e.employer_name,
            }
          : null,
      };
    }),
    praktijkverklaring: statement ? { confirmedOn: statement.confirmed_on, codes: statement.codes } : null,
  };
}

/** The ROC confirms the praktijkverklaring: after an ending without BBL, naming work processes that were shown. */
export async function confirmPraktijkverklaring(
  deps: Deps,
  p: Principal,
  trajectoryId: string,
  body: PraktijkverklaringConfirmation,
): Promise<WorkProcessOverview> {
  const t = await trajectoryOf(deps, trajectoryId);
  const shown = (await evidenceOf(deps.db, trajectoryId)).map((e) => e.code);
  const refusal = praktijkverklaringRefusal({ status: t.status, outcome: t.outcome }, shown);
  if (refusal) throw unprocessable([{ field: refusal.field, message: refusal.en, nl: refusal.nl }]);
  const codes = body.codes ?? shown;
  const notShown = codes.filter((c) => !shown.includes(c));
  if (notShown.length > 0)
    throw unprocessable([
      {
        field: 'codes',
        message: `${notShown.join(', ')}: not shown (yet); the praktijkopleider records it first`,
        nl: `${notShown.join(', ')}: (nog) niet aangetoond; de praktijkopleider legt het eerst vast`,
      },
    ]);
  const done = await insertPraktijkverklaring(deps.db, {
    trajectory_id: trajectoryId,
    school_id: t.school_id,
    codes: [...codes].sort(),
    confirmed_on: today(deps),
    confirmed_by: p.actor,
  });
  if (!done) {
    const before = await findPraktijkverklaring(deps.db, trajectoryId);
    throw conflict(
      says(
        `the praktijkverklaring was confirmed before, on ${before?.confirmed_on}`,
        `de praktijkverklaring is al eerder bevestigd, op ${before?.confirmed_on}`,
      ),
    );
  }
  return workProcessOverview(deps, p, trajectoryId);
}

/**
 * What the ROC sends the Praktijkloket for one participant: each work process shown (only those the statement names,
 * once confirmed), the date, the assessor and the employer.
 */
export async function praktijkverklaringExport(deps: Deps, trajectoryId: string): Promise<PraktijkverklaringExport> {
  const t = await trajectoryOf(deps, trajectoryId);
  const [evidence, statement, programme] = await Promise.all([
    evidenceOf(deps.db, trajectoryId),
    findPraktijkverklaring(deps.db, trajectoryId),
    findProgramme(deps.db, t.programme_id, t.programme_version),
  ]);
  const names = new Map(((t.template as ProgrammeTemplate).workProcesses ?? []).map((w) => [w.code, w.name]));
  return {
    trajectoryId,
    qualification: programme?.name ?? t.programme_id,
    school: t.school_name ?? t.school_id,
    confirmedOn: statement?.confirmed_on ?? null,
    rows: evidence
      .filter((e) => !statement || statement.codes.includes(e.code))
      .map((e) => ({
        reference: t.reference,
        participant: t.name,
        code: e.code,
        name: names.get(e.code) ?? e.code,
        shownOn: e.shown_on,
        assessor: e.assessor,
        employer: e.employer_name,
        note: e.note,
      })),
  };
}

/** The export's columns, in Dutch, for xlsx and the CSV for Dutch Excel (web/spreadsheet.ts). */
export const EXPORT_COLUMNS: Column<PraktijkverklaringExportRow>[] = [
  { header: 'Deelnemer (referentie)', value: (r) => r.reference, width: 18 },
  { header: 'Naam', value: (r) => r.participant, width: 24 },
  { header: 'Werkproces', value: (r) => r.code, width: 12 },
  { header: 'Omschrijving', value: (r) => r.name, width: 50 },
  { header: 'Aangetoond op', value: (r) => r.shownOn, width: 14 },
  { header: 'Beoordelaar (praktijkopleider)', value: (r) => r.assessor, width: 28 },
  { header: 'Leerbedrijf', value: (r) => r.employer, width: 28 },
  { header: 'Toelichting', value: (r) => r.note, width: 60 },
];

export const exportDutchCsv = (e: PraktijkverklaringExport) => dutchCsvOf(EXPORT_COLUMNS, e.rows);
export const exportXlsx = (e: PraktijkverklaringExport) =>
  xlsxOf(sheetOf({ name: 'Praktijkverklaring', columns: EXPORT_COLUMNS, rows: e.rows }));

/** A checkpoint review may name work processes: only those of the trajectory's own programme (422 otherwise). */
export async function checkReferredWorkProcesses(deps: Deps, trajectoryId: string, codes: string[] | undefined) {
  if (!codes?.length) return;
  const t = await trajectoryOf(deps, trajectoryId);
  const unknown = unknownCodes(codes, (t.template as ProgrammeTemplate).workProcesses);
  if (unknown.length > 0) throw unprocessable([notInTemplate('workProcesses', unknown)]);
}
