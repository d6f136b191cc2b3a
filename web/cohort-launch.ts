// Launching a cohort from a spreadsheet (issue 18.1), for the programme office's coordinator: download the
// template (/cohorten/nieuw/sjabloon), fill or paste the participants, upload it with the programme, covenant and
// ROC, ROC day and start date (/cohorten/nieuw). Every row is checked (api/services/cohort-sheet.ts) and all
// problems are shown at once, by row and column, in Dutch; nothing is kept until every row is right. Then the
// checked rows wait as a draft under a random id (/cohorten/concepten/:id, for this office only; a BSN only as its
// keyed hash) beside the dated plan of the cohort, from the calendar its workflows get. Starting it runs the API's
// launchCohort with the cohort id chosen once for the draft, so a double click, a reload or a repeat after an
// interruption starts nobody twice; the same page then shows how many trajectories have started.
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditNow, COORDINATION } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { actingOffice } from '../api/ownership';
import {
  checkCohortSheet,
  cohortPlan,
  covenantChoice,
  launchChoices,
  launchProgress,
  MAX_ROWS,
  SHEET_COLUMNS,
  WEEKDAY_NL,
  type LaunchChoices,
  type SheetProblem,
} from '../api/services/cohort-sheet';
import { launchCohort } from '../api/services/cohorts';
import { readinessGaps } from '../api/services/readiness';
import { creboOf, gapsInWords } from '../domain/readiness';
import { today } from '../api/services/trajectories';
import {
  findCohortDraft,
  forgetDraftParticipants,
  insertCohortDraft,
  markLaunchRequested,
} from '../api/services/cohort-drafts';
import { programmeVersion } from '../api/services/programmes';
import type { CohortDraft } from '../db/cohort-drafts';
import { isMonday, WEEKDAYS, type Weekday } from '../domain/calendar';
import { dutchDay } from '../domain/dutch';
import { html, type Html } from './html';
import { cell, headerCells, scrollTable, sheetProblems } from './table-parts';
import {
  csrfOf,
  facts,
  inWords,
  personPage,
  readDate,
  selectField,
  sendPage,
  textField,
  type Errors,
  fileField,
} from './form-parts';
import { readSheet, sendDownload, sheetOf, UnreadableSheet, xlsxOf } from './spreadsheet';

/** The largest upload: 2 MB holds thousands of rows, far more than one cohort. */
const MAX_BYTES = 2 * 1024 * 1024;
/** How long the start button waits for the launch before it shows the progress page. */
const WAIT_FOR_LAUNCH_MS = 3000;

type Form = Record<string, string | undefined>;

const ACCESS = { access: { roles: COORDINATION } };
/** Not found: the page answers 404 as for an unknown address. */
const unknown = () => new DomainError(404, 'not-found', 'Niet gevonden');

/** A covenant and one of its ROCs, as one choice. */
const covenantSchool = (covenantId: string, schoolId: string) => `${covenantId}::${schoolId}`;

function uploadPage(
  request: FastifyRequest,
  reply: FastifyReply,
  choices: LaunchChoices,
  o: { form?: Form; errors?: Errors; problems?: SheetProblem[]; fileError?: string } = {},
): Html {
  const form = o.form ?? {};
  const errors: Errors = { ...o.errors, ...(o.fileError ? { bestand: o.fileError } : {}) };
  const problems = o.problems ?? [];
  const schools = choices.covenants.flatMap((c) =>
    c.schools.map((s) => ({ value: covenantSchool(c.id, s.id), label: `${s.name} (convenant ${c.name})` })),
  );
  const fileError = errors.bestand;
  const summary = sheetProblems(
    problems,
    'Er is niets gestart. Verbeter de rijen in uw spreadsheet, kies de gegevens hieronder opnieuw en upload ' +
      'het bestand nog een keer.',
  );
  return personPage(
    request,
    reply,
    {
      title: 'Cohort starten vanuit een spreadsheet',
      notice:
        Object.keys(errors).length > 0 && problems.length === 0
          ? { kind: 'error', text: 'Niet alles is goed ingevuld. Kijk bij de velden hieronder.' }
          : undefined,
    },
    html`${summary}
      <h2 class="utrecht-heading-2">1. Sjabloon downloaden</h2>
      <p class="utrecht-paragraph">
        Zet in het sjabloon één deelnemer per rij. Het tabblad Uitleg zegt per kolom wat erin hoort; het tabblad
        Partners noemt de werkgevers, jobcoaches en uitkeringsinstanties die u kunt gebruiken. Upload het als
        Excel-bestand (xlsx) of als CSV (puntkomma's). Hoogstens ${MAX_ROWS} deelnemers en 2 MB per bestand.
      </p>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/cohorten/nieuw/sjabloon" download>Sjabloon downloaden (Excel)</a>
      </p>
      <h2 class="utrecht-heading-2">2. Gegevens kiezen en bestand uploaden</h2>
      ${
        choices.programmes.length === 0 || schools.length === 0
          ? html`<p class="utrecht-paragraph">
              Uw programmabureau heeft nog geen programma of convenant met een ROC. Leg eerst de partners vast.
            </p>`
          : html`<form method="post" action="/cohorten/nieuw" enctype="multipart/form-data" novalidate>
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              ${textField({
                name: 'naam',
                label: 'Naam van het cohort',
                hint: 'Voor uzelf, bijvoorbeeld Zorg najaar 2027',
                value: form.naam,
                errors,
              })}
              ${selectField({
                name: 'programma',
                label: 'Programma',
                options: choices.programmes.map((p) => ({
                  value: p.id,
                  label: `${p.name} (${p.template.weeks} weken, versie ${p.version})`,
                })),
                chosen: form.programma,
                errors,
              })}
              ${selectField({
                name: 'roc',
                label: 'ROC en convenant',
                options: schools,
                chosen: form.roc,
                errors,
              })}
              ${selectField({
                name: 'rocdag',
                label: 'ROC-dag',
                options: WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_NL[d] })),
                chosen: form.rocdag ?? 'thursday',
                hint: 'De dag van de week waarop alle deelnemers naar het ROC gaan',
                errors,
              })}
              ${textField({
                name: 'startdatum',
                label: 'Startdatum',
                type: 'date',
                hint: 'Een maandag: de eerste dag van week 1',
                value: form.startdatum,
                errors,
              })}
              ${fileField('Bestand met deelnemers', fileError)}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Bestand controleren</button>
            </form>`
      }`,
  );
}

/** The draft, when it is the person's office's: another office's draft answers 404 exactly like an unknown one. */
async function draftOf(deps: AppDeps, request: FastifyRequest<{ Params: { id: string } }>): Promise<CohortDraft> {
  const office = actingOffice(request.principal);
  const draft = office === null ? undefined : await findCohortDraft(deps, request.params.id, office);
  if (!draft) throw unknown();
  return draft;
}

/** Launches in this process, by draft: a second press joins the first instead of racing it. */
const running = new Map<string, Promise<void>>();
/** Why the last launch of a draft stopped, in Dutch, until it is tried again. */
const stopped = new Map<string, string>();

function launch(deps: AppDeps, request: FastifyRequest, draft: CohortDraft, override?: string): Promise<void> {
  const already = running.get(draft.id);
  if (already) return already;
  stopped.delete(draft.id);
  const work = launchCohort(deps, request.principal, draft.cohort_id, {
    programmeId: draft.programme_id,
    programmeVersion: draft.programme_version,
    covenantId: draft.covenant_id,
    startDate: draft.start_date,
    schoolId: draft.school_id,
    schoolWeekday: draft.school_weekday,
    participants: draft.participants.map(({ line: _, ...p }) => p),
    ...(override ? { readinessOverride: { reason: override } } : {}),
  })
    .then(async (cohort) => {
      await auditNow(
        deps.db,
        request,
        'change',
        cohort.trajectories.map((t) => t.id),
      );
      await forgetDraftParticipants(deps, draft.id);
    })
    .catch((e: unknown) => {
      const refused = e instanceof DomainError && e.status < 500;
      if (!refused) request.log.error({ err: e }, 'cohort launch from a draft stopped');
      stopped.set(
        draft.id,
        refused
          ? 'Bij het starten bleek iets niet meer te kloppen, bijvoorbeeld een partner die niet meer in het ' +
              'convenant zit. Er is niemand gestart. Upload het bestand opnieuw.'
          : 'Het starten is onderbroken: het systeem was even niet bereikbaar. Start opnieuw; wie al gestart is, ' +
              'start niet nog een keer.',
      );
    })
    .finally(() => running.delete(draft.id));
  running.set(draft.id, work);
  return work;
}

async function draftPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  draft: CohortDraft,
  o: { reason?: string; reasonError?: string } = {},
) {
  const on = today(deps);
  const programme = (await programmeVersion(deps, draft.programme_id, draft.programme_version))!;
  const covenant = await covenantChoice(deps.db, draft.office_id, draft.covenant_id);
  const nameOf = (list: { id: string; name: string }[] | undefined, id: string) =>
    list?.find((x) => x.id === id)?.name ?? id;
  const school = nameOf(covenant?.schools, draft.school_id);
  // After the launch the draft no longer holds the participants; the cohort says how many there are.
  const progress = draft.launch_requested_at ? await launchProgress(deps, draft.cohort_id) : undefined;
  const n = progress?.launched ? progress.written : draft.participants.length;
  const { plan, weeks } = await cohortPlan(deps, {
    template: programme.template,
    startDate: draft.start_date,
    schoolId: draft.school_id,
    schoolWeekday: draft.school_weekday,
    office: draft.office_id,
  });
  const decision = weeks.find((w) => w.bblDecision);
  const about = facts([
    ['Cohort', draft.name],
    ['Programma', `${programme.name} (versie ${programme.version}, ${programme.template.weeks} weken)`],
    ['ROC en ROC-dag', `${school}, op ${WEEKDAY_NL[draft.school_weekday]}`],
    ['Deelnemers', String(n)],
    ['Eerste dag', inWords(plan.startDate, on)],
    ['Laatste dag', inWords(plan.endDate, on)],
    [
      'BBL-besluit',
      decision
        ? `vanaf week ${decision.week} (${inWords(decision.monday, on)} tot en met ${inWords(decision.friday, on)})`
        : 'geen',
    ],
  ]);

  if (progress) {
    const busy = running.has(draft.id);
    const why = stopped.get(draft.id);
    const done = progress.launched;
    const status = done
      ? `Het cohort is gestart: ${progress.started} van de ${n} trajecten lopen.`
      : `${progress.started} van de ${n} trajecten zijn gestart.`;
    return personPage(
      request,
      reply,
      {
        title: done ? 'Cohort gestart' : 'Cohort wordt gestart',
        notice: why ? { kind: 'error', text: why } : undefined,
      },
      html`<div class="utrecht-alert utrecht-alert--${done ? 'ok' : 'info'}" role="status">
          <p class="utrecht-paragraph" id="voortgang">${status}</p>
        </div>
        <progress max="${n}" value="${progress.started}" aria-labelledby="voortgang">${progress.started}</progress>
        ${about}
        ${
          done
            ? html`<p class="utrecht-paragraph">
                Werkgevers, ROC en jobcoaches krijgen hun taken vanaf de eerste dag in de ochtendmail.
                <a class="utrecht-link" href="/sturing">Naar de sturing</a>
              </p>`
            : html`<p class="utrecht-paragraph">
                  ${busy ? 'Het starten is bezig. ' : ''}
                  <a class="utrecht-link" href="/cohorten/concepten/${draft.id}">Vernieuwen</a>
                </p>
                ${
                  busy
                    ? ''
                    : html`<form method="post" action="/cohorten/concepten/${draft.id}/starten">
                        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                        <p class="utrecht-paragraph">
                          Is het starten onderbroken? Start dan opnieuw: wie al gestart is, start niet nog een keer.
                        </p>
                        <button type="submit" class="utrecht-button utrecht-button--primary-action">
                          Starten hervatten
                        </button>
                      </form>`
                }`
        }`,
    );
  }

  const names = (list: { id: string; name: string }[] | undefined) => (id: string) => nameOf(list, id);
  const employer = names(covenant?.employers);
  const payer = names(covenant?.payers);
  const coach = names(covenant?.jobcoaches);
  const daysOff = weeks.flatMap((w) => w.daysOff);
  const unready = await draftReadiness(deps, draft, programme.template);
  return personPage(
    request,
    reply,
    {
      title: 'Cohort controleren en starten',
      notice: o.reasonError ? { kind: 'error', text: 'Niet gestart: geef een reden om toch te starten.' } : undefined,
    },
    html`<div class="utrecht-alert utrecht-alert--ok" role="status">
        <p class="utrecht-paragraph">
          Alle ${n} rijen zijn goed. Controleer de planning en de deelnemers; er is nog niemand gestart.
        </p>
      </div>
      ${about}
      <h2 class="utrecht-heading-2">Vrije dagen en sluitingen in deze periode</h2>
      ${
        daysOff.length === 0
          ? html`<p class="utrecht-paragraph">Er vallen geen feestdagen of ROC-sluitingen in deze periode.</p>`
          : html`<ul class="utrecht-unordered-list" id="vrije-dagen">
              ${daysOff.map(
                (d) =>
                  html`<li>
                    ${inWords(d.date, on)}: ${d.reason}${d.school ? ' (ROC-dag vervalt)' : ' (geen praktijkdag)'}
                  </li>`,
              )}
            </ul>`
      }
      <h2 class="utrecht-heading-2">Planning per week</h2>
      ${scrollTable(
        'Planning per week',
        html`<table class="utrecht-table" id="planning">
          <caption class="utrecht-table__caption">
            Planning per week, van ${dutchDay(plan.startDate)} tot en met ${dutchDay(plan.endDate)}
          </caption>
          ${headerCells(['Week', 'Van', 'Tot en met', 'Vrije dagen en sluitingen', 'Mijlpalen'])}
          <tbody class="utrecht-table__body">
            ${weeks.map(
              (w) =>
                html`<tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="row">Week ${w.week}</th>
                  ${cell(inWords(w.monday, on))} ${cell(inWords(w.friday, on))}
                  ${cell(w.daysOff.map((d) => `${inWords(d.date, on)}: ${d.reason}`).join('; '))}
                  ${cell([...w.checkpoints, ...(w.bblDecision ? ['BBL-besluit vanaf deze week'] : [])].join('; '))}
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      <h2 class="utrecht-heading-2">Deelnemers</h2>
      ${scrollTable(
        'Deelnemers',
        html`<table class="utrecht-table" id="deelnemers">
          <caption class="utrecht-table__caption">
            ${n} deelnemers uit het bestand
          </caption>
          ${headerCells([
            'Rij',
            'Naam',
            'Referentie',
            'E-mailadres',
            'Werkgever',
            'Praktijkdagen',
            'Jobcoach',
            'Uitkeringsinstantie',
            'BSN',
          ])}
          <tbody class="utrecht-table__body">
            ${draft.participants.map(
              (p) =>
                html`<tr class="utrecht-table__row">
                  ${cell(String(p.line))}
                  <th class="utrecht-table__header-cell" scope="row">${p.name}</th>
                  ${cell(p.reference)} ${cell(p.email)} ${cell(employer(p.employerId))}
                  ${cell(p.placementWeekdays.map((d) => WEEKDAY_NL[d]).join(', '))} ${cell(coach(p.jobcoachId))}
                  ${cell(payer(p.benefitPayerId))} ${cell(p.bsnHash ? 'opgegeven' : 'niet opgegeven')}
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      ${unready.length ? readinessWarning(unready) : ''}
      <form method="post" action="/cohorten/concepten/${draft.id}/starten" novalidate>
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        ${
          unready.length
            ? textField({
                name: 'reden',
                label: 'Reden om toch te starten',
                hint: 'Wordt met uw naam vastgelegd bij elke deelnemer van een werkgever die niet gereed is.',
                value: o.reason,
                errors: o.reasonError ? { reden: o.reasonError } : {},
              })
            : ''
        }
        <button type="submit" class="utrecht-button utrecht-button--primary-action">
          Cohort starten met ${n} deelnemers
        </button>
      </form>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/cohorten/nieuw">Een ander bestand uploaden</a>
      </p>`,
  );
}

/** The draft's participants whose employer is not ready (domain/readiness.ts), before anyone starts. */
async function draftReadiness(deps: AppDeps, draft: CohortDraft, template: { crebo?: string }) {
  return readinessGaps(deps.db, {
    officeId: draft.office_id,
    crebo: creboOf(template),
    placements: draft.participants.map((p) => ({
      field: `rij ${p.line}`,
      reference: p.reference,
      employerId: p.employerId,
    })),
  });
}

function readinessWarning(unready: Awaited<ReturnType<typeof draftReadiness>>): Html {
  // Part of the draft page, not news of an action: no live region (the launch's progress is the page's status).
  return html`<div class="utrecht-alert utrecht-alert--warning" id="gereedheid">
    <h2 class="utrecht-heading-2">Niet elke werkgever is gereed</h2>
    <p class="utrecht-paragraph">
      Deze deelnemers beginnen bij een werkgever die nog niet gereed is. Maak de werkgever gereed op zijn partnerpagina,
      of geef hieronder een reden om toch te starten.
    </p>
    <ul class="utrecht-unordered-list">
      ${unready.map(
        (u) =>
          html`<li>
            ${u.placement.field}, ${u.placement.reference}:
            <a class="utrecht-link" href="/partners/${u.placement.employerId}">${u.employerName}</a>:
            ${gapsInWords(u.missing, 'nl')}
          </li>`,
      )}
    </ul>
  </div>`;
}

const NO_DATE = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 4-1-2027.';

export async function cohortLaunchRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_BYTES, files: 1, fields: 20, parts: 21, fieldSize: 10_000 },
  });

  // Too large a file is the upload form again with its message next to the file field, not an error page.
  app.setErrorHandler(async (error: Error & { code?: string }, request, reply) => {
    if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.person) throw error;
    const choices = await launchChoices(deps, request.principal);
    return sendPage(
      reply,
      uploadPage(request, reply, choices, {
        fileError:
          'Het bestand is groter dan 2 MB. Zet er minder rijen in, of verdeel de deelnemers over meer bestanden.',
      }),
      413,
    );
  });

  app.get('/cohorten/nieuw', { schema: { hide: true }, config: ACCESS }, async (request, reply) =>
    sendPage(reply, uploadPage(request, reply, await launchChoices(deps, request.principal))),
  );

  app.get('/cohorten/nieuw/sjabloon', { schema: { hide: true }, config: ACCESS }, async (request, reply) => {
    const choices = await launchChoices(deps, request.principal);
    type PartnerRow = { kind: string; name: string; extra: string; covenant: string };
    const partners: PartnerRow[] = choices.covenants.flatMap((c) => [
      ...c.employers.map((p) => ({ kind: 'Werkgever', name: p.name, extra: '', covenant: c.name })),
      ...c.jobcoaches.map((p) => ({ kind: 'Jobcoach', name: p.name, extra: p.email, covenant: c.name })),
      ...c.payers.map((p) => ({ kind: 'Uitkeringsinstantie', name: p.name, extra: '', covenant: c.name })),
    ]);
    const xlsx = await xlsxOf(
      sheetOf({
        name: 'Deelnemers',
        columns: SHEET_COLUMNS.map((c) => ({ header: c.header, width: c.width, value: () => null })),
        rows: [],
      }),
      sheetOf({
        name: 'Uitleg',
        columns: [
          { header: 'Kolom', value: (c: (typeof SHEET_COLUMNS)[number]) => c.header, width: 20 },
          { header: 'Verplicht', value: (c: (typeof SHEET_COLUMNS)[number]) => (c.required ? 'ja' : 'nee'), width: 10 },
          { header: 'Wat vult u in', value: (c: (typeof SHEET_COLUMNS)[number]) => c.hint, width: 70 },
        ],
        rows: SHEET_COLUMNS,
      }),
      sheetOf({
        name: 'Partners',
        columns: [
          { header: 'Soort', value: (r: PartnerRow) => r.kind, width: 22 },
          { header: 'Naam', value: (r: PartnerRow) => r.name, width: 32 },
          { header: 'E-mailadres', value: (r: PartnerRow) => r.extra, width: 32 },
          { header: 'Convenant', value: (r: PartnerRow) => r.covenant, width: 32 },
        ],
        rows: partners,
      }),
    );
    return sendDownload(reply, 'sjabloon-cohort', { xlsx });
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/cohorten/nieuw',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: ACCESS },
    async (request, reply) => {
      const office = actingOffice(request.principal);
      if (office === null) throw unknown();
      const raw = request.body ?? {};
      const text = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
      const form: Form = {
        naam: text('naam'),
        programma: text('programma'),
        roc: text('roc'),
        rocdag: text('rocdag'),
        startdatum: text('startdatum'),
      };
      const choices = await launchChoices(deps, request.principal);
      const again = (o: Parameters<typeof uploadPage>[3], code = 422) =>
        sendPage(reply, uploadPage(request, reply, choices, { form, ...o }), code);

      const errors: Errors = {};
      const name = (form.naam ?? '').trim();
      if (name === '') errors.naam = 'Vul een naam in, bijvoorbeeld Zorg najaar 2027.';
      else if (name.length > 100) errors.naam = 'Gebruik hoogstens 100 tekens.';
      const programme = choices.programmes.find((p) => p.id === form.programma);
      if (!programme) errors.programma = 'Kies een programma.';
      const [covenantId = '', schoolId = ''] = (form.roc ?? '').split('::');
      const covenant = choices.covenants.find((c) => c.id === covenantId);
      if (!covenant?.schools.some((s) => s.id === schoolId)) errors.roc = 'Kies een ROC uit een van uw convenanten.';
      const schoolWeekday = WEEKDAYS.find((d) => d === form.rocdag) as Weekday | undefined;
      if (!schoolWeekday) errors.rocdag = 'Kies de ROC-dag.';
      const startDate = readDate(form.startdatum);
      if (startDate === '') errors.startdatum = 'Vul de startdatum in.';
      else if (startDate === undefined) errors.startdatum = NO_DATE;
      else if (startDate < '2000-01-01' || startDate > '2100-12-31')
        errors.startdatum = 'Kies een datum tussen 2000 en 2100.';
      else if (!isMonday(startDate))
        errors.startdatum = `${inWords(startDate)} is geen maandag. Een cohort begint op een maandag.`;
      const file = raw.bestand;
      let fileError: string | undefined;
      if (!Buffer.isBuffer(file) || file.length === 0) fileError = 'Kies het bestand met de deelnemers.';
      if (Object.keys(errors).length || fileError || !programme || !covenant || !schoolWeekday || !startDate)
        return again({ errors, fileError });

      let sheet;
      try {
        sheet = await readSheet(file as Buffer);
      } catch (e) {
        if (!(e instanceof UnreadableSheet)) throw e;
        return again({
          fileError: `${e.message} Sla het op als Excel-bestand (xlsx) of als CSV en probeer het opnieuw.`,
        });
      }
      const { participants, problems } = await checkCohortSheet(
        deps,
        { office, programme, covenant, schoolWeekday },
        sheet,
      );
      if (problems.length) return again({ problems });

      const id = randomUUID();
      await insertCohortDraft(deps, {
        id,
        office_id: office,
        created_by: request.principal.actor,
        name,
        programme_id: programme.id,
        programme_version: programme.version,
        covenant_id: covenant.id,
        school_id: schoolId,
        school_weekday: schoolWeekday,
        start_date: startDate,
        participants,
        // Chosen once: every start of this draft is the same launch.
        cohort_id: randomUUID(),
      });
      return reply.redirect(`/cohorten/concepten/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cohorten/concepten/:id',
    { schema: { hide: true }, config: ACCESS },
    async (request, reply) => sendPage(reply, await draftPage(deps, request, reply, await draftOf(deps, request))),
  );

  app.post<{ Params: { id: string } }>(
    '/cohorten/concepten/:id/starten',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: ACCESS },
    async (request, reply) => {
      const draft = await draftOf(deps, request);
      const programme = (await programmeVersion(deps, draft.programme_id, draft.programme_version))!;
      // A start at an employer that is not ready needs the coordinator's reason (api/services/readiness.ts).
      const reason = String((request.body as { reden?: string } | undefined)?.reden ?? '')
        .replace(/\s+/g, ' ')
        .trim();
      if (!draft.launch_requested_at && (await draftReadiness(deps, draft, programme.template)).length) {
        const reasonError = !reason
          ? 'Vul de reden in om toch te starten, of maak de werkgever eerst gereed op de partnerpagina.'
          : reason.length > 500
            ? 'Gebruik hoogstens 500 tekens.'
            : undefined;
        if (reasonError)
          return sendPage(reply, await draftPage(deps, request, reply, draft, { reason, reasonError }), 422);
      }
      await markLaunchRequested(deps, draft.id);
      const work = launch(deps, request, draft, reason || undefined);
      // A small cohort is started before the page comes: it shows the result at once; a large one its progress.
      await Promise.race([work, new Promise((r) => setTimeout(r, WAIT_FOR_LAUNCH_MS))]);
      return reply.redirect(`/cohorten/concepten/${draft.id}`, 303);
    },
  );
}
