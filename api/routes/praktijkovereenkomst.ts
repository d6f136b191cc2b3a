import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { noteAudit } from '../access';
import { POK_RECORDERS } from '../../domain/praktijkovereenkomst';
import type { Principal } from '../auth';
import type { FieldProblem } from '../errors';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import { PokList, PokListQuery, PokStepRecording, PokView } from '../schemas/praktijkovereenkomst';
import { getPok, listPoks, recordPok } from '../services/praktijkovereenkomst';
import type { AppDeps } from '../deps';

/** Who records which step (POK_RECORDERS): another party's step is refused (403), naming the step. */
export function pokLimits(p: Principal, body: { step?: keyof typeof POK_RECORDERS }): FieldProblem[] {
  if (!body?.step || POK_RECORDERS[body.step]?.includes(p.role)) return [];
  return [
    {
      field: 'step',
      message:
        p.role === 'employer'
          ? 'an employer records its own signature only'
          : "the ROC does not record the employer's signature; the employer does (or the coordinator)",
      nl:
        p.role === 'employer'
          ? 'een werkgever legt alleen de eigen handtekening vast'
          : 'het ROC legt de handtekening van de werkgever niet vast; dat doet de werkgever (of de coördinator)',
    },
  ];
}

export const praktijkovereenkomstRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/trajectories/:id/praktijkovereenkomst',
    {
      config: {
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach'],
          resource: 'trajectory',
          audit: 'read',
        },
      },
      schema: {
        tags: ['praktijkovereenkomst'],
        operationId: 'getPraktijkovereenkomst',
        summary: "The participant's praktijkovereenkomst: drawn up, signed per party, its deadline, a bpv-blad needed",
        description:
          'For the coordinator, the ROC, the jobcoach and the employer the participant is placed with. The deadline ' +
          'is the BBL contract start the employer confirmed; until it confirmed one, `contractStart` is null. Audited.',
        params: IdParams,
        response: responses(200, PokView, 'The POK as it stands today'),
      },
    },
    async (request) => getPok(deps, request.params.id),
  );

  app.post(
    '/trajectories/:id/praktijkovereenkomst',
    {
      config: {
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: (p, body) => pokLimits(p, body as { step?: keyof typeof POK_RECORDERS }),
        },
      },
      schema: {
        tags: ['praktijkovereenkomst'],
        operationId: 'recordPraktijkovereenkomst',
        summary: 'Record a step of the praktijkovereenkomst: drawn up, a signature, or a new bpv-blad',
        description:
          "The ROC draws it up and records its own and the participant's signature and a new bpv-blad; the employer " +
          "records its own signature, refused (422) unless SBB recognised it for the programme's qualification on " +
          'that day (its readiness); the coordinator of the office may record any step. Only after the employer ' +
          'confirmed a BBL contract start. Recorded again with the same date it changes nothing; with another date ' +
          'it is a conflict. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PokStepRecording,
        response: responses(200, PokView, 'The POK as it stands now'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await recordPok(deps, request.principal, request.params.id, request.body),
      })),
  );

  app.get(
    '/praktijkovereenkomsten',
    {
      config: { access: { roles: ['admin', 'coordinator', 'school'], audit: 'read' } },
      schema: {
        tags: ['praktijkovereenkomst'],
        operationId: 'listPraktijkovereenkomsten',
        summary: 'The POKs of the participants entering BBL, with their deadlines: open ones by default',
        description:
          "The coordinator's office's, or the ROC's own students'. Late ones first, then by deadline. Audited per " +
          'participant.',
        querystring: PokListQuery,
        response: responses(200, PokList, 'The POKs, late ones first'),
      },
    },
    async (request) => {
      const list = await listPoks(deps, request.principal, request.query);
      noteAudit(
        request,
        list.items.map((i) => i.trajectoryId),
      );
      return list;
    },
  );
};
