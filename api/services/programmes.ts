// Programme templates and who may publish them: an office its own programmes (ids under its own), the admin
// the shared ones every office may launch with but not change. An office derives its own from a shared one.
import { addProgrammeVersion, findProgramme, findProgrammeFor, listProgrammes } from '../../db/programmes';
import type { Programme as ProgrammeRow } from '../../db/schema';
import type { Principal } from '../auth';
import { conflict, unprocessable, type FieldProblem, says } from '../errors';
import { refusing } from '../access';
import { actingOffice, checkChosenId } from '../ownership';
import type { NewProgrammeVersion, Programme } from '../schemas/programme';
import type { AppDeps } from '../deps';
import { checkTemplate } from '../../domain/programme';

type Deps = Pick<AppDeps, 'db'>;

export const programmeView = (p: ProgrammeRow): Programme => ({
  id: p.id,
  version: p.version,
  name: p.name,
  template: p.template,
  officeId: p.office_id,
  createdAt: p.created_at.toISOString(),
});

/**
 * Every version of the programmes the caller's office may launch with: its own and the shared ones (the admin: all; a
 * key the admin made: the shared ones).
 */
export async function visibleProgrammes(deps: Deps, principal: Principal): Promise<Programme[]> {
  // Not only the office rule: here a key the admin made (acting for no office, null) sees the shared programmes
  // only, while the admin itself (undefined) sees every office's.
  const scope = principal.role === 'admin' ? undefined : actingOffice(principal);
  return (await listProgrammes(deps.db, scope)).map(programmeView);
}

/** The programme (a version, or the newest) that cohorts of `office` may run on; undefined for another office's. */
export async function programmeForOffice(deps: Deps, office: string, id: string, version?: number) {
  return findProgrammeFor(deps.db, office, id, version);
}

export async function publishProgramme(
  deps: Deps,
  principal: Principal,
  body: NewProgrammeVersion,
): Promise<Programme> {
  const office = actingOffice(principal);
  const chosen = checkChosenId(principal, body.id, 'programme');
  const problems: FieldProblem[] = [...chosen.problems];
  if (principal.role !== 'admin' && body.officeId !== undefined)
    problems.push({
      field: 'officeId',
      message: 'your programmes belong to your own office; leave officeId out',
      nl: 'uw programma’s horen bij uw eigen programmabureau; laat officeId weg',
    });
  let template = body.template;
  if (body.basedOn) {
    const base =
      office === null
        ? await findProgramme(deps.db, body.basedOn.id, body.basedOn.version)
        : await programmeForOffice(deps, office, body.basedOn.id, body.basedOn.version);
    if (!base)
      problems.push({
        field: 'basedOn.id',
        message: `no programme ${body.basedOn.id}${body.basedOn.version ? ` version ${body.basedOn.version}` : ''}`,
        nl: `geen programma ${body.basedOn.id}${body.basedOn.version ? ` versie ${body.basedOn.version}` : ''}`,
      });
    template ??= base?.template;
  } else if (!template)
    problems.push({
      field: 'template',
      message: 'is required (or name a programme in basedOn to start from)',
      nl: 'is verplicht (of noem in basedOn een programma om van uit te gaan)',
    });
  // A base was checked when it was published; a template given here is checked now.
  if (body.template) problems.push(...checkTemplate(body.template));
  if (problems.length || !template) throw refusing(unprocessable(problems), chosen.denied);
  // The admin's new programme is shared unless it names an owner; a further version keeps the first one's owner.
  const first = principal.role === 'admin' ? await findProgramme(deps.db, body.id, 1) : undefined;
  const owner = principal.role === 'admin' ? (first ? first.office_id : (body.officeId ?? null)) : office;
  const row = await addProgrammeVersion(deps.db, { id: body.id, name: body.name, template, office_id: owner });
  if (!row)
    throw conflict(
      says(
        `Programme ${body.id} belongs to another owner; the admin publishes its versions as that owner`,
        `Programma ${body.id} is van een andere eigenaar; de beheerder publiceert de versies ervan als die eigenaar`,
      ),
    );
  return programmeView(row);
}

/** One version of a programme (the newest without `version`). */
export const programmeVersion = (deps: Deps, id: string, version?: number) => findProgramme(deps.db, id, version);
