// An ESF+ project's evidence (issue 21, part 4). A project is a covenant: the regional agreement a subsidy
// application is made for, and the one thing every cohort (and so every participant) already belongs to. The
// participant list (pseudonymous reference, intake and exit, the activities counted from the records, the result)
// comes from what is recorded; the staff hours are the one figure nothing else records, kept per organisation and
// month as the coordinator enters them (db/evidence.ts).
import { findCovenant } from '../../db/covenants';
import { projectParticipants, staffHoursOf, upsertStaffHours } from '../../db/evidence';
import { findOrganisation } from '../../db/organisations';
import { participationOf } from '../../domain/participation';
import { dutchCsvOf, sheetOf, xlsxOf, type Column } from '../../web/spreadsheet';
import type { Principal } from '../auth';
import { notFound, says, unprocessable } from '../errors';
import type { EsfEvidence, StaffHoursBody } from '../schemas/evidence';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;
type Participant = EsfEvidence['participants'][number] & { trajectoryId: string };
type Hours = EsfEvidence['hours'][number];

/** The project's participants and hours; the trajectory ids go to the audit log only. */
export async function esfEvidence(deps: Deps, covenantId: string): Promise<EsfEvidence & { trajectoryIds: string[] }> {
  const covenant = await findCovenant(deps.db, covenantId);
  if (!covenant) throw notFound(says(`Covenant ${covenantId}`, `Convenant ${covenantId}`));
  const [rows, hours] = await Promise.all([
    projectParticipants(deps.db, covenantId),
    staffHoursOf(deps.db, covenantId),
  ]);
  const participants: Participant[] = rows.map((r) => ({
    trajectoryId: r.id,
    reference: r.reference,
    ...participationOf({
      startDate: r.start_date,
      endDate: r.end_date,
      status: r.status,
      outcome: r.outcome,
      praktijkverklaring: r.verklaring,
    }),
    placementDays: r.placement_days,
    schoolDays: r.school_days,
    checkpoints: r.checkpoints,
  }));
  const hourRows: Hours[] = hours.map((h) => ({
    organisationId: h.organisation_id,
    organisationName: h.name,
    month: h.month,
    hours: h.hours,
    note: h.note,
  }));
  return {
    covenantId,
    covenantName: covenant.name,
    participants: participants.map(({ trajectoryId: _, ...p }) => p),
    hours: hourRows,
    totalHours: hourRows.reduce((sum, h) => sum + h.hours, 0),
    trajectoryIds: participants.map((p) => p.trajectoryId),
  };
}

/** Records an organisation's hours on the project for a month; the organisation must take part in the covenant. */
export async function recordStaffHours(
  deps: Deps,
  principal: Principal,
  covenantId: string,
  body: StaffHoursBody,
): Promise<EsfEvidence['hours'][number]> {
  const covenant = await findCovenant(deps.db, covenantId);
  if (!covenant) throw notFound(says(`Covenant ${covenantId}`, `Convenant ${covenantId}`));
  const org = await findOrganisation(deps.db, body.organisationId);
  const member =
    covenant.programme_office_id === body.organisationId ||
    covenant.members.some((m) => m.organisation_id === body.organisationId);
  if (!org || !member)
    throw unprocessable([
      {
        field: 'organisationId',
        message: 'takes no part in this covenant',
        nl: 'neemt geen deel aan dit convenant',
      },
    ]);
  await upsertStaffHours(deps.db, {
    covenant_id: covenantId,
    organisation_id: org.id,
    month: body.month,
    hours: body.hours,
    note: body.note ?? null,
    recorded_by:
      principal.role === 'admin' ? 'admin' : `${principal.role}:${principal.organisationId ?? principal.actor}`,
  });
  return {
    organisationId: org.id,
    organisationName: org.name,
    month: body.month,
    hours: body.hours,
    note: body.note ?? null,
  };
}

const PARTICIPANT_COLUMNS: Column<EsfEvidence['participants'][number]>[] = [
  { header: 'Kenmerk deelnemer', value: (p) => p.reference },
  { header: 'Datum instroom', value: (p) => p.intakeDate },
  { header: 'Datum uitstroom', value: (p) => p.exitDate ?? '' },
  { header: 'Werkplekdagen aanwezig', value: (p) => p.placementDays },
  { header: 'Schooldagen aanwezig', value: (p) => p.schoolDays },
  { header: 'Voortgangsgesprekken', value: (p) => p.checkpoints },
  { header: 'Resultaat', value: (p) => p.result, width: 40 },
];

const HOUR_COLUMNS: Column<Hours>[] = [
  { header: 'Organisatie', value: (h) => h.organisationName, width: 32 },
  { header: 'Maand', value: (h) => h.month },
  { header: 'Uren personeel', value: (h) => h.hours },
  { header: 'Toelichting', value: (h) => h.note ?? '', width: 40 },
];

const EXPLANATION = (e: EsfEvidence) =>
  [
    `ESF+-verantwoording, project ${e.covenantName} (convenant ${e.covenantId}).`,
    'Deelnemers staan onder hun pseudonieme kenmerk. Instroom: de start van het traject; uitstroom: de dag waarop ' +
      'het eindigde (leeg: loopt nog). Activiteiten zijn geteld uit de registraties: werkplek- en schooldagen ' +
      'aanwezig, en vastgelegde voortgangsgesprekken. Resultaat: de uitkomst van het traject.',
    'Uren personeel: zoals het programmabureau ze per organisatie en maand in Toeleiding vastlegde; Toeleiding ' +
      'registreert zelf geen uren.',
  ].map((text) => ({ text }));

export const esfXlsx = (e: EsfEvidence) =>
  xlsxOf(
    sheetOf({
      name: 'Toelichting',
      columns: [{ header: 'Toelichting', value: (r) => r.text, width: 120 }],
      rows: EXPLANATION(e),
    }),
    sheetOf({ name: 'Deelnemers', columns: PARTICIPANT_COLUMNS, rows: e.participants }),
    sheetOf({ name: 'Uren', columns: HOUR_COLUMNS, rows: e.hours }),
  );

export const esfCsv = (e: EsfEvidence, part: 'participants' | 'hours') =>
  part === 'hours' ? dutchCsvOf(HOUR_COLUMNS, e.hours) : dutchCsvOf(PARTICIPANT_COLUMNS, e.participants);
