// Correcting a week's recorded days: each recorded day up to today with its current value to change, and the
// reason the correction needs (the earlier recording stays in the trajectory's history, as through the API).
// The same task as the week page, so the mail's link reaches it; recorded per trajectory by the API's own
// attendance update, under the same policy; a repeated submission records nothing twice. Every participant's
// corrections are checked before any is sent, so a refusal saves nothing; should a trajectory still refuse after
// others took theirs (a pause made in between), the page names exactly what was saved and what was not.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { correctionRefusals } from '../api/services/partner-recording';
import { weekSheet, type WeekSheet } from '../api/services/week-sheet';
import { recordOn, today } from '../api/services/trajectories';
import { ABSENCE_NL } from '../domain/dutch';
import { refusalInDutch } from '../domain/refusals';
import { ABSENCE_REASONS, type AbsenceReason } from '../domain/statuses';
import { recordAttendanceUpdate } from '../workflows/trajectory';
import { csrfOf, personPage, sendPage } from './form-parts';
import { html } from './html';
import { refusalOf } from './refusals';
import { taskOf, taskPath } from './tasks';
import { dayName } from './week';

type Params = { id: string; weekStart: string };

/** A correction every trajectory refused: a 4xx, so the form key is freed and nothing is kept for a replay. */
class NothingSaved extends DomainError {
  constructor(readonly refused: { t: string; text: string }[]) {
    super(422, 'correction-refused', 'Nothing was saved', 'every trajectory refused its correction');
  }
}
/** A day's value on the form: 'aanwezig', or the absence's reason. */
type Value = 'aanwezig' | AbsenceReason;

/** The recorded days up to today that can be corrected, with their current value. */
function recorded(sheet: WeekSheet, on: string) {
  return sheet.participants.flatMap((p) =>
    p.days.flatMap((d) =>
      d.date <= on && (d.state === 'present' || d.state === 'absent')
        ? [{ p, date: d.date, value: (d.state === 'present' ? 'aanwezig' : d.reason) as Value }]
        : [],
    ),
  );
}

function correctionsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  sheet: WeekSheet,
  on: string,
  o: {
    values?: Record<string, string>;
    reason?: string;
    /** The reason's own problem, shown next to it. */
    error?: string;
    /** A refused day's problem by its field name, shown next to its choice. */
    dayErrors?: Record<string, string>;
    notice?: { kind: 'ok' | 'error'; text: string };
  } = {},
) {
  const days = recorded(sheet, on);
  const week = taskPath(taskOf.week(sheet.organisation.id, sheet.weekStart))!;
  return personPage(
    request,
    reply,
    {
      title: `Correctie, week van ${dayName(sheet.weekStart)}`,
      notice: o.notice ?? (o.error ? { kind: 'error', text: o.error } : undefined),
    },
    html`<p class="utrecht-paragraph">
        Pas aan wat niet klopt en geef de reden. De eerdere registratie blijft bewaard in de geschiedenis van de
        deelnemer.
      </p>
      ${
        days.length === 0
          ? html`<p class="utrecht-paragraph">Deze week is nog geen dag vastgelegd.</p>`
          : html`<form method="post">
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              <input type="hidden" name="formKey" value="${randomUUID()}" />
              <div class="table-scroll">
                <table class="utrecht-table">
                  <caption class="utrecht-table__caption">
                    Vastgelegde dagen
                  </caption>
                  <thead class="utrecht-table__header">
                    <tr class="utrecht-table__row">
                      <th class="utrecht-table__header-cell" scope="col">Deelnemer</th>
                      <th class="utrecht-table__header-cell" scope="col">Dag</th>
                      <th class="utrecht-table__header-cell" scope="col">Vastgelegd als</th>
                    </tr>
                  </thead>
                  <tbody class="utrecht-table__body">
                    ${days.map(({ p, date, value }) => {
                      const name = `c:${p.trajectoryId}:${date}`;
                      const chosen = o.values?.[name] ?? value;
                      const problem = o.dayErrors?.[name];
                      const errorId = `fout-${p.trajectoryId}-${date}`;
                      return html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${p.firstName} (${p.reference})</th>
                        <td class="utrecht-table__cell">${dayName(date)}</td>
                        <td class="utrecht-table__cell">
                          ${
                            problem
                              ? html`<p class="utrecht-form-field-error-message" id="${errorId}">${problem}</p>`
                              : ''
                          }
                          <select
                            class="utrecht-select utrecht-select--html-select${
                              problem ? ' utrecht-select--invalid' : ''
                            }"
                            name="${name}"
                            aria-label="${p.firstName} (${p.reference}), ${dayName(date)}"
                            ${problem ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}
                          >
                            <option value="aanwezig" ${chosen === 'aanwezig' ? html`selected` : ''}>Aanwezig</option>
                            ${ABSENCE_REASONS.map(
                              (r) =>
                                html`<option value="${r}" ${chosen === r ? html`selected` : ''}>
                                  Afwezig: ${ABSENCE_NL[r]}
                                </option>`,
                            )}
                          </select>
                        </td>
                      </tr>`;
                    })}
                  </tbody>
                </table>
              </div>
              <div class="utrecht-form-field${o.error ? ' utrecht-form-field--invalid' : ''}">
                <label class="utrecht-form-label" for="reden">Reden van de correctie</label>
                ${o.error ? html`<p class="utrecht-form-field-error-message" id="reden-fout">${o.error}</p>` : ''}
                <input
                  class="utrecht-textbox utrecht-textbox--html-input"
                  id="reden"
                  name="correctionReason"
                  maxlength="500"
                  value="${o.reason ?? ''}"
                  ${o.error ? html`aria-invalid="true" aria-describedby="reden-fout"` : ''}
                />
              </div>
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Correctie opslaan</button>
            </form>`
      }
      <p class="utrecht-paragraph"><a class="utrecht-link" href="${week}">Terug naar de week</a></p>`,
  );
}

export async function weekCorrectionRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) => {
    const p = request.params as Params;
    return taskOf.week(p.id, p.weekStart);
  };
  const path = '/organisaties/:id/weken/:weekStart/correcties';

  app.get<{ Params: Params }>(
    path,
    {
      schema: { hide: true },
      config: { task, access: { roles: ['admin', 'employer', 'school'], resource: 'organisation', audit: 'read' } },
    },
    async (request, reply) => {
      const sheet = await weekSheet(deps, request.principal, request.params.id, request.params.weekStart);
      noteAudit(
        request,
        sheet.participants.map((p) => p.trajectoryId),
      );
      return sendPage(reply, correctionsPage(request, reply, sheet, today(deps)));
    },
  );

  app.post<{ Params: Params; Body: Record<string, string> }>(
    path,
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        task,
        access: { roles: ['admin', 'employer', 'school'], resource: 'organisation', manage: true, audit: 'change' },
      },
    },
    async (request, reply) => {
      const { id, weekStart } = request.params;
      const form = request.body ?? {};
      const on = today(deps);
      const sheet = await weekSheet(deps, request.principal, id, weekStart);
      const reason = String(form.correctionReason ?? '').trim();
      // Only days of this sheet that were recorded, and whose value changed; anything else in the form is ignored.
      const changed = recorded(sheet, on).filter(({ p, date, value }) => {
        const v = form[`c:${p.trajectoryId}:${date}`];
        return (
          v !== undefined && v !== value && (v === 'aanwezig' || (ABSENCE_REASONS as readonly string[]).includes(v))
        );
      });
      const values = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('c:')));
      const again = (o: Omit<Parameters<typeof correctionsPage>[4], 'values' | 'reason'>, code: number) =>
        sendPage(reply, correctionsPage(request, reply, sheet, on, { values, reason, ...o }), code);
      if (changed.length === 0) return again({ notice: { kind: 'ok', text: 'Er is niets gewijzigd.' } }, 200);
      if (!reason) return again({ error: 'Geef de reden van de correctie.' }, 422);
      if (reason.length > 500) return again({ error: 'De reden is te lang (hoogstens 500 tekens).' }, 422);
      const kind = sheet.organisation.kind === 'school' ? ('school' as const) : ('placement' as const);
      const byTrajectory = new Map<string, { date: string; value: Value }[]>();
      for (const c of changed) {
        const v = form[`c:${c.p.trajectoryId}:${c.date}`] as Value;
        byTrajectory.set(c.p.trajectoryId, [...(byTrajectory.get(c.p.trajectoryId) ?? []), { date: c.date, value: v }]);
      }
      const who = new Map(sheet.participants.map((p) => [p.trajectoryId, `${p.firstName} (${p.reference})`]));
      // Checked first, every participant's correction: one that would be refused saves nothing of anyone's.
      const refusals = await correctionRefusals(
        deps,
        request.principal,
        id,
        [...byTrajectory].map(([trajectoryId, days]) => ({ trajectoryId, dates: days.map((d) => d.date) })),
      );
      if (refusals.length > 0)
        return again(
          {
            notice: {
              kind: 'error',
              text:
                'Er is niets opgeslagen. ' +
                refusals
                  .map((r) => `${who.get(r.trajectoryId)}, ${dayName(r.date)}: ${refusalInDutch(r.refusal)}`)
                  .join(' '),
            },
            dayErrors: Object.fromEntries(
              refusals.map((r) => [`c:${r.trajectoryId}:${r.date}`, refusalInDutch(r.refusal)]),
            ),
          },
          422,
        );
      const body = { weekStart, reason, changes: [...byTrajectory].map(([t, d]) => ({ t, d })) };
      type Result = { saved: { t: string; days: number }[]; refused: { t: string; text: string }[] };
      const outcome = await idempotent<Result>(
        deps.db,
        { scope: `${request.principal.actor}|web|correct|${id}`, key: String(form.formKey ?? randomUUID()), body },
        async (requestId) => {
          // One update per trajectory: all its corrections are taken or none (the workflow checks each day). Checked
          // above, a refusal here means the trajectory changed in between; the others' corrections stand and are named.
          const result: Result = { saved: [], refused: [] };
          for (const [trajectoryId, days] of byTrajectory)
            try {
              await recordOn(
                deps,
                trajectoryId,
                recordAttendanceUpdate,
                {
                  entries: days.map((d) => ({
                    date: d.date,
                    kind,
                    present: d.value === 'aanwezig',
                    ...(d.value !== 'aanwezig' && { reason: d.value }),
                    correctionReason: reason,
                  })),
                },
                `${requestId}:${trajectoryId}`,
              );
              result.saved.push({ t: trajectoryId, days: days.length });
            } catch (e) {
              if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
              result.refused.push({ t: trajectoryId, text: refusalOf(e).text });
            }
          // Nothing saved: the key is freed (a refused request), so the form can be sent again once corrected.
          if (result.saved.length === 0) throw new NothingSaved(result.refused);
          return { statusCode: 200, body: result };
        },
      ).catch((e: unknown) => {
        if (e instanceof NothingSaved) return e;
        throw e;
      });
      if (outcome instanceof NothingSaved)
        return again(
          {
            notice: {
              kind: 'error',
              text:
                'Er is niets opgeslagen: de planning is intussen veranderd. ' +
                outcome.refused.map((r) => `${who.get(r.t)}: ${r.text}`).join(' ') +
                ' Laad de pagina opnieuw.',
            },
          },
          422,
        );
      const { saved, refused } = outcome.body;
      // Audited: exactly the participants whose days were corrected.
      noteAudit(
        request,
        saved.map((x) => x.t),
      );
      const fresh = await weekSheet(deps, request.principal, id, weekStart);
      const days = saved.reduce((n, x) => n + x.days, 0);
      const notice =
        refused.length === 0
          ? { kind: 'ok' as const, text: `Gecorrigeerd: ${days} dag(en).` }
          : {
              kind: 'error' as const,
              text:
                `Gecorrigeerd: ${saved.map((x) => `${who.get(x.t)} (${x.days} dag(en))`).join(', ')}; ` +
                `niet opgeslagen: ${refused.map((r) => `${who.get(r.t)}, omdat: ${r.text}`).join('; ')}`,
            };
      return sendPage(reply, correctionsPage(request, reply, fresh, on, { notice }));
    },
  );
}
