// Correcting a week's recorded days: each recorded day up to today with its current value to change, and the
// reason the correction needs (the earlier recording stays in the trajectory's history, as through the API).
// The same task as the week page, so the mail's link reaches it; recorded per trajectory by the API's own
// attendance update, under the same policy; a repeated submission records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { weekSheet, type WeekSheet } from '../api/services/week-sheet';
import { recordOn, today } from '../api/services/trajectories';
import { ABSENCE_NL } from '../domain/dutch';
import { ABSENCE_REASONS, type AbsenceReason } from '../domain/statuses';
import { recordAttendanceUpdate } from '../workflows/trajectory';
import { csrfOf, personPage, sendPage } from './form-parts';
import { html } from './html';
import { taskOf, taskPath } from './tasks';
import { dayName } from './week';

type Params = { id: string; weekStart: string };
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
  o: { values?: Record<string, string>; reason?: string; error?: string; notice?: string } = {},
) {
  const days = recorded(sheet, on);
  const week = taskPath(taskOf.week(sheet.organisation.id, sheet.weekStart))!;
  return personPage(
    request,
    reply,
    {
      title: `Correctie, week van ${dayName(sheet.weekStart)}`,
      notice: o.notice ? { kind: 'ok', text: o.notice } : o.error ? { kind: 'error', text: o.error } : undefined,
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
                      return html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${p.firstName} (${p.reference})</th>
                        <td class="utrecht-table__cell">${dayName(date)}</td>
                        <td class="utrecht-table__cell">
                          <select
                            class="utrecht-select utrecht-select--html-select"
                            name="${name}"
                            aria-label="${p.firstName} (${p.reference}), ${dayName(date)}"
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
      const again = (o: { error?: string; notice?: string }, code: number) =>
        sendPage(reply, correctionsPage(request, reply, sheet, on, { values, reason, ...o }), code);
      if (changed.length === 0) return again({ notice: 'Er is niets gewijzigd.' }, 200);
      if (!reason) return again({ error: 'Geef de reden van de correctie.' }, 422);
      if (reason.length > 500) return again({ error: 'De reden is te lang (hoogstens 500 tekens).' }, 422);
      const kind = sheet.organisation.kind === 'school' ? ('school' as const) : ('placement' as const);
      const byTrajectory = new Map<string, { date: string; value: Value }[]>();
      for (const c of changed) {
        const v = form[`c:${c.p.trajectoryId}:${c.date}`] as Value;
        byTrajectory.set(c.p.trajectoryId, [...(byTrajectory.get(c.p.trajectoryId) ?? []), { date: c.date, value: v }]);
      }
      const body = { weekStart, reason, changes: [...byTrajectory].map(([t, d]) => ({ t, d })) };
      try {
        await idempotent(
          deps.db,
          { scope: `${request.principal.actor}|web|correct|${id}`, key: String(form.formKey ?? randomUUID()), body },
          async (requestId) => {
            // One update per trajectory: all its corrections are taken or none (the workflow checks each day).
            for (const [trajectoryId, days] of byTrajectory)
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
            return { statusCode: 200, body: { corrected: changed.length } };
          },
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        return again(
          {
            error:
              'De correctie kon niet worden opgeslagen: de planning is intussen veranderd. Laad de pagina opnieuw.',
          },
          422,
        );
      }
      noteAudit(request, [...byTrajectory.keys()]);
      const fresh = await weekSheet(deps, request.principal, id, weekStart);
      return sendPage(
        reply,
        correctionsPage(request, reply, fresh, on, { notice: `Gecorrigeerd: ${changed.length} dag(en).` }),
      );
    },
  );
}
