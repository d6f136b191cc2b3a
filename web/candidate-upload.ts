// Adding candidates to a recruitment round from the gemeente's or UWV's list (issue 20.1), for the office's
// coordinator: download the template (/werving/{id}/lijsten/sjabloon), upload the list as xlsx or as CSV the way
// Dutch Excel saves it (/werving/{id}/lijsten/nieuw). Every row is checked at once (api/services/candidate-sheet.ts,
// with the round's one check of who a candidate is) and all problems are shown by row and column, in Dutch;
// nothing is kept until every row is right. Then the rows wait as an upload under a random id (a BSN only as its
// keyed hash), with each near match side by side for the coordinator to decide: the same person (the row is
// skipped) or someone else (the row is added). Adding goes through the service of POST
// /v1/recruitment-rounds/{id}/candidates with a request id chosen once per upload, so a double click, a reload or a
// repeat after an interruption adds nobody twice.
import { randomBytes, randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { auditRoundCandidateReads } from '../api/access';
import { DomainError } from '../api/errors';
import { actingOffice } from '../api/ownership';
import {
  CANDIDATE_COLUMNS,
  candidateSources,
  checkCandidateSheet,
  MAX_CANDIDATE_ROWS,
  type CandidateSheetProblem,
} from '../api/services/candidate-sheet';
import { addCandidateEntries, getRound, roundRow, type CandidateEntry } from '../api/services/recruitment';
import {
  findCandidateUpload,
  insertCandidateUpload,
  markUploadAdded,
  settleDecisions,
} from '../api/services/candidate-uploads';
import type { CandidateUpload, NearDecision } from '../db/candidate-uploads';
import { dutchDay } from '../domain/dutch';
import { html, type Html } from './html';
import { cell, headerCells, scrollTable, sheetProblems } from './table-parts';
import { csrfOf, personPage, radioField, sendPage, type Errors, fileField } from './form-parts';
import { readSheet, sendDownload, sheetOf, UnreadableSheet, xlsxOf } from './spreadsheet';

/** The largest upload: 2 MB holds thousands of rows, far more than one round's list. */
const MAX_BYTES = 2 * 1024 * 1024;

/** Uploading is the office's coordinator's work (the admin sees rounds, but adds nobody). */
const UPLOAD = { access: { roles: ['coordinator'] as const, resource: 'recruitment-round' as const } };
const CHANGE = { access: { ...UPLOAD.access, audit: 'change' as const } };

const unknown = () => new DomainError(404, 'not-found', 'Niet gevonden');

/** A request id of letters only: digits in an id could by chance read as a BSN and get refused somewhere. */
const letterId = () => `lijst-${[...randomBytes(16)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;

async function uploadForm(
  deps: AppDeps,
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  o: { problems?: CandidateSheetProblem[]; fileError?: string } = {},
): Promise<Html> {
  const round = (await roundRow(deps, request.params.id))!;
  const problems = o.problems ?? [];
  const base = `/werving/${round.id}`;
  const summary = sheetProblems(
    problems,
    'Er is niemand toegevoegd. Verbeter de rijen in uw spreadsheet en upload het bestand nog een keer.',
  );
  const fileError = o.fileError;
  return personPage(
    request,
    reply,
    { title: `Kandidaten toevoegen aan ${round.name}` },
    html`${summary}
      <h2 class="utrecht-heading-2">1. Sjabloon downloaden</h2>
      <p class="utrecht-paragraph">
        Zet in het sjabloon één kandidaat per rij, of gebruik de lijst van de gemeente of het UWV met dezelfde kolommen.
        Het tabblad Uitleg zegt per kolom wat erin hoort; het tabblad Bronnen noemt de gemeenten en UWV-kantoren die u
        bij Aangeleverd door kunt invullen. Upload het als Excel-bestand (xlsx) of als CSV (puntkomma's). Hoogstens
        ${MAX_CANDIDATE_ROWS} kandidaten en 2 MB per bestand.
      </p>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="${base}/lijsten/sjabloon" download>Sjabloon downloaden (Excel)</a>
      </p>
      <h2 class="utrecht-heading-2">2. Bestand uploaden</h2>
      <form method="post" action="${base}/lijsten" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        ${fileField('Bestand met kandidaten', fileError)}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Bestand controleren</button>
      </form>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="${base}">Terug naar de ronde</a></p>`,
  );
}

/** The upload of this round, when it is the person's office's: another's answers 404 exactly like an unknown one. */
async function uploadOf(
  deps: AppDeps,
  request: FastifyRequest<{ Params: { id: string; upload: string } }>,
): Promise<CandidateUpload> {
  const office = actingOffice(request.principal);
  const upload =
    office === null
      ? undefined
      : await findCandidateUpload(deps, request.params.upload, { office, roundId: request.params.id });
  if (!upload) throw unknown();
  return upload;
}

/**
 * The entries to add after the decisions: a row the coordinator found to be someone already there is skipped; a
 * row found to be someone else is added naming the candidate (or the earlier row) it is not.
 */
export function entriesAfter(upload: Pick<CandidateUpload, 'entries' | 'near'>, decisions: NearDecision[]) {
  const skip = new Set(upload.near.filter((_, n) => decisions[n] === 'same').map((m) => m.index));
  const kept = upload.entries.map((_, i) => i).filter((i) => !skip.has(i));
  const position = new Map(kept.map((i, k) => [i, k]));
  return kept.map((i): CandidateEntry => {
    const { line: _, ...entry } = upload.entries[i]!;
    const different = upload.near.filter((m, n) => m.index === i && decisions[n] === 'different');
    const distinctFrom = different.flatMap((m) => (m.other.kind === 'round' ? [m.other.reference] : []));
    const distinctFromEntries = different.flatMap((m) =>
      m.other.kind === 'row' && position.has(m.other.index) ? [position.get(m.other.index)!] : [],
    );
    return {
      ...entry,
      ...(distinctFrom.length ? { distinctFrom } : {}),
      ...(distinctFromEntries.length ? { distinctFromEntries } : {}),
    };
  });
}

const birth = (d?: string | null) => (d ? dutchDay(d) : 'niet opgegeven');

function uploadPage(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { roundId: string; roundName: string; upload: CandidateUpload; sources: Map<string, string>; errors?: Errors },
  failure?: string,
): Html {
  const { upload, roundId } = o;
  const errors = o.errors ?? {};
  const decided = upload.decisions;
  const base = `/werving/${roundId}`;
  const side = (m: CandidateUpload['near'][number]) => {
    const mine = upload.entries[m.index]!;
    const other =
      m.other.kind === 'round'
        ? {
            title: `In deze ronde: ${m.other.reference}`,
            firstName: m.other.firstName,
            lastName: m.other.lastName,
            dateOfBirth: m.other.dateOfBirth,
            email: m.other.email,
          }
        : {
            title: `Uit het bestand: rij ${upload.entries[m.other.index]!.line}`,
            ...upload.entries[m.other.index]!,
          };
    return { mine, other };
  };
  return personPage(
    request,
    reply,
    {
      title: `Kandidaten toevoegen aan ${o.roundName}`,
      notice: failure
        ? { kind: 'error', text: failure }
        : Object.keys(errors).length > 0
          ? { kind: 'error', text: 'Kies bij elke gelijkenis of het dezelfde persoon is. Kijk hieronder.' }
          : undefined,
    },
    html`<div class="utrecht-alert utrecht-alert--ok" role="status">
        <p class="utrecht-paragraph">
          Alle ${upload.entries.length} rijen zijn goed.
          ${
            upload.near.length === 0
              ? 'Controleer de kandidaten; er is nog niemand toegevoegd.'
              : `${upload.near.length === 1 ? 'Eén rij lijkt' : `${upload.near.length} keer lijkt een rij`} op ` +
                'iemand anders: kies per paar of het dezelfde persoon is. Er is nog niemand toegevoegd.'
          }
        </p>
      </div>
      ${scrollTable(
        'Kandidaten uit het bestand',
        html`<table class="utrecht-table" id="rijen">
          <caption class="utrecht-table__caption">
            ${upload.entries.length} kandidaten uit het bestand
          </caption>
          ${headerCells(['Rij', 'Naam', 'Geboortedatum', 'E-mail', 'BSN', 'Aangeleverd door'])}
          <tbody class="utrecht-table__body">
            ${upload.entries.map(
              (e) =>
                html`<tr class="utrecht-table__row">
                  ${cell(e.line)}
                  <th class="utrecht-table__header-cell" scope="row">${e.firstName} ${e.lastName}</th>
                  ${cell(birth(e.dateOfBirth))} ${cell(e.email ?? '')}
                  ${cell(e.bsnHash ? 'opgegeven' : 'niet opgegeven')}
                  ${cell(e.sourceId ? (o.sources.get(e.sourceId) ?? e.sourceId) : 'uw programmabureau')}
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      <form method="post" action="${base}/lijsten/${upload.id}/toevoegen" novalidate>
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        ${upload.near.map((m, n) => {
          const { mine, other } = side(m);
          return html`<section class="near-match" aria-labelledby="gelijkenis-${n}">
            <h2 class="utrecht-heading-2" id="gelijkenis-${n}">Rij ${mine.line} lijkt op iemand</h2>
            ${scrollTable(
              `Rij ${mine.line} naast wie erop lijkt`,
              html`<table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Rij ${mine.line} naast ${other.title.charAt(0).toLowerCase()}${other.title.slice(1)}
                </caption>
                ${headerCells(['', `Uit het bestand: rij ${mine.line}`, other.title])}
                <tbody class="utrecht-table__body">
                  ${(
                    [
                      ['Voornaam', mine.firstName, other.firstName],
                      ['Achternaam', mine.lastName, other.lastName],
                      ['Geboortedatum', birth(mine.dateOfBirth), birth(other.dateOfBirth)],
                      ['E-mail', mine.email ?? 'niet opgegeven', other.email ?? 'niet opgegeven'],
                    ] as const
                  ).map(
                    ([label, a, b]) =>
                      html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${label}</th>
                        ${cell(a)} ${cell(b)}
                      </tr>`,
                  )}
                </tbody>
              </table>`,
            )}
            ${radioField({
              name: `keuze-${n}`,
              legend: `Is rij ${mine.line} dezelfde persoon als ${other.title.replace(/^[^:]+: /, '')}?`,
              options: [
                { value: 'same', label: 'Zelfde persoon (overslaan)' },
                { value: 'different', label: 'Iemand anders (toevoegen)' },
              ],
              chosen: decided?.[n],
              errors,
            })}
          </section>`;
        })}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Kandidaten toevoegen</button>
      </form>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="${base}/lijsten/nieuw">Een ander bestand uploaden</a> ·
        <a class="utrecht-link" href="${base}">Terug naar de ronde</a>
      </p>`,
  );
}

/** Adds in this process, by upload: a second press joins the first instead of racing it. */
const adding = new Map<string, Promise<number>>();

async function addUpload(deps: AppDeps, upload: CandidateUpload, decisions: NearDecision[]): Promise<number> {
  const entries = entriesAfter(upload, decisions);
  if (entries.length > 0) {
    const add = () => addCandidateEntries(deps, upload.round_id, upload.request_id, entries);
    await add().catch((e: unknown) => {
      // Another process may have added these very rows a moment ago: then a repeat finds them and refuses nothing.
      if (e instanceof DomainError && e.status === 422) return add();
      throw e;
    });
  }
  await markUploadAdded(deps, upload.id);
  return entries.length;
}

export async function candidateUploadRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 10_000 },
  });

  // Too large a file is the upload form again with its message next to the file field, not an error page.
  app.setErrorHandler(async (error: Error & { code?: string }, request, reply) => {
    if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.person) throw error;
    const r = request as FastifyRequest<{ Params: { id: string } }>;
    return sendPage(
      reply,
      await uploadForm(deps, r, reply, {
        fileError:
          'Het bestand is groter dan 2 MB. Zet er minder rijen in, of verdeel de kandidaten over meer bestanden.',
      }),
      413,
    );
  });

  app.get<{ Params: { id: string } }>(
    '/werving/:id/lijsten/nieuw',
    { schema: { hide: true }, config: UPLOAD },
    async (request, reply) => sendPage(reply, await uploadForm(deps, request, reply)),
  );

  app.get<{ Params: { id: string } }>(
    '/werving/:id/lijsten/sjabloon',
    { schema: { hide: true }, config: UPLOAD },
    async (request, reply) => {
      const sources = await candidateSources(deps, actingOffice(request.principal)!);
      type Column = (typeof CANDIDATE_COLUMNS)[number];
      const xlsx = await xlsxOf(
        sheetOf({
          name: 'Kandidaten',
          columns: CANDIDATE_COLUMNS.map((c) => ({ header: c.header, width: c.width, value: () => null })),
          rows: [],
        }),
        sheetOf({
          name: 'Uitleg',
          columns: [
            { header: 'Kolom', value: (c: Column) => c.header, width: 20 },
            { header: 'Verplicht', value: (c: Column) => (c.required ? 'ja' : 'nee'), width: 10 },
            { header: 'Wat vult u in', value: (c: Column) => c.hint, width: 80 },
          ],
          rows: CANDIDATE_COLUMNS,
        }),
        sheetOf({
          name: 'Bronnen',
          columns: [{ header: 'Aangeleverd door', value: (s: { name: string }) => s.name, width: 40 }],
          rows: sources,
        }),
      );
      return sendDownload(reply, 'sjabloon-kandidaten', { xlsx });
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/werving/:id/lijsten',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: CHANGE },
    async (request, reply) => {
      const office = actingOffice(request.principal)!;
      const round = (await roundRow(deps, request.params.id))!;
      const again = async (o: Parameters<typeof uploadForm>[3]) =>
        sendPage(reply, await uploadForm(deps, request, reply, o), 422);
      const file = (request.body ?? {}).bestand;
      if (!Buffer.isBuffer(file) || file.length === 0)
        return again({ fileError: 'Kies het bestand met de kandidaten.' });
      let sheet;
      try {
        sheet = await readSheet(file);
      } catch (e) {
        if (!(e instanceof UnreadableSheet)) throw e;
        return again({
          fileError: `${e.message} Sla het op als Excel-bestand (xlsx) of als CSV en probeer het opnieuw.`,
        });
      }
      const { entries, near, problems } = await checkCandidateSheet(deps, { office, round }, sheet);
      if (problems.length) return again({ problems });
      const id = randomUUID();
      await insertCandidateUpload(deps, {
        id,
        office_id: office,
        round_id: round.id,
        created_by: request.principal.actor,
        // Chosen once: every "add" of this upload is the same request.
        request_id: letterId(),
        entries,
        near,
      });
      return reply.redirect(`/werving/${round.id}/lijsten/${id}`, 303);
    },
  );

  const page = async (
    request: FastifyRequest<{ Params: { id: string; upload: string } }>,
    reply: FastifyReply,
    upload: CandidateUpload,
    o: { errors?: Errors; failure?: string } = {},
  ) => {
    const round = await getRound(deps, request.params.id);
    // The page shows each near match's candidate of the round (name, date of birth, e-mail) beside the row: a read of
    // that candidate, in its own audit trail.
    const shown = new Set(upload.near.flatMap((m) => (m.other.kind === 'round' ? [m.other.reference] : [])));
    await auditRoundCandidateReads(
      deps.db,
      request,
      round.id,
      round.candidates.filter((c) => shown.has(c.reference)).map((c) => c.id),
    );
    const sources = new Map(
      (await candidateSources(deps, upload.office_id)).map((s) => [s.id, s.name] as [string, string]),
    );
    return uploadPage(
      request,
      reply,
      { roundId: round.id, roundName: round.name, upload, sources, errors: o.errors },
      o.failure,
    );
  };

  app.get<{ Params: { id: string; upload: string } }>(
    '/werving/:id/lijsten/:upload',
    { schema: { hide: true }, config: UPLOAD },
    async (request, reply) => {
      const upload = await uploadOf(deps, request);
      if (upload.added_at) return reply.redirect(`/werving/${upload.round_id}`, 303);
      return sendPage(reply, await page(request, reply, upload));
    },
  );

  app.post<{ Params: { id: string; upload: string }; Body: Record<string, string | undefined> }>(
    '/werving/:id/lijsten/:upload/toevoegen',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: CHANGE },
    async (request, reply) => {
      const upload = await uploadOf(deps, request);
      // Added before (a reload, a third press): the candidates are in the round, the upload holds no rows anymore.
      if (upload.added_at) return reply.redirect(`/werving/${upload.round_id}`, 303);
      const form = request.body ?? {};
      const choices = upload.near.map((_, n) => form[`keuze-${n}`]);
      if (!upload.decisions) {
        const errors: Errors = {};
        choices.forEach((c, n) => {
          if (c !== 'same' && c !== 'different') errors[`keuze-${n}`] = 'Kies of dit dezelfde persoon is.';
        });
        if (Object.keys(errors).length) return sendPage(reply, await page(request, reply, upload, { errors }), 422);
      }
      // The first press's decisions hold; a repeat adds the same rows under the same request id.
      const decisions = await settleDecisions(deps, upload.id, choices as NearDecision[]);
      let work = adding.get(upload.id);
      if (!work) {
        work = addUpload(deps, upload, decisions).finally(() => adding.delete(upload.id));
        adding.set(upload.id, work);
      }
      try {
        const added = await work;
        return reply.redirect(`/werving/${upload.round_id}?toegevoegd=${added}`, 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        return sendPage(
          reply,
          await page(request, reply, upload, {
            failure:
              'Bij het toevoegen bleek iets niet meer te kloppen, bijvoorbeeld iemand die intussen aan de ronde is ' +
              'toegevoegd. Er is niemand toegevoegd. Upload het bestand opnieuw.',
          }),
          422,
        );
      }
    },
  );
}
