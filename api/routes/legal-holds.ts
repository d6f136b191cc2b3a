import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import { HoldBody, HoldLiftBody, LegalHolds } from '../schemas/legal-hold';
import { legalHolds, liftHold, placeHold } from '../services/legal-holds';
import type { AppDeps } from '../deps';

/** Holds are the office's decision: its coordinators (and the admin), on records they manage. */
const OFFICE = ['admin', 'coordinator'] as const;

export const legalHoldRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  for (const subject of ['trajectory', 'candidate'] as const) {
    const path = subject === 'trajectory' ? '/trajectories/:id' : '/candidates/:id';
    const Name = subject === 'trajectory' ? 'Trajectory' : 'Candidate';
    const access = { roles: OFFICE, resource: subject, manage: true } as const;

    app.get(
      `${path}/legal-holds`,
      {
        config: { access: { ...access, audit: 'read' } },
        schema: {
          tags: ['privacy'],
          operationId: `get${Name}LegalHolds`,
          summary: `The legal holds on a ${subject}: the one in force, and every one placed or lifted`,
          params: IdParams,
          response: responses(200, LegalHolds, 'The holds'),
        },
      },
      async (request) => legalHolds(deps, subject, request.params.id),
    );

    app.post(
      `${path}/legal-holds`,
      {
        config: { access: { ...access, audit: 'change' } },
        schema: {
          tags: ['privacy'],
          operationId: `place${Name}LegalHold`,
          summary: `Place a legal hold on a ${subject}: kept from anonymisation until its end date`,
          description:
            'While the hold is in force, retention leaves the record alone and an erasure request is answered 409 ' +
            '`/problems/legal-hold` naming the reason and end date. From the day after `until` the normal retention ' +
            'applies again. An anonymised record has nothing left to hold (409). Guarded by Idempotency-Key.',
          headers: IdempotencyHeaders,
          params: IdParams,
          body: HoldBody,
          response: responses(201, LegalHolds, 'The holds, the new one in force'),
        },
      },
      async (request, reply) =>
        idempotentReply(deps, request, reply, async (requestId) => ({
          statusCode: 201,
          body: await placeHold(deps, request.principal, subject, request.params.id, request.body, requestId),
        })),
    );

    app.post(
      `${path}/legal-hold-lift`,
      {
        config: { access: { ...access, audit: 'change' } },
        schema: {
          tags: ['privacy'],
          operationId: `lift${Name}LegalHold`,
          summary: `Lift the legal hold on a ${subject} before its end date, with the reason`,
          description:
            'Recorded beside the hold (who, when, why); the normal retention applies again. 409 when no hold is in ' +
            'force. Guarded by Idempotency-Key.',
          headers: IdempotencyHeaders,
          params: IdParams,
          body: HoldLiftBody,
          response: responses(200, LegalHolds, 'The holds, none in force'),
        },
      },
      async (request, reply) =>
        idempotentReply(deps, request, reply, async () => ({
          statusCode: 200,
          body: await liftHold(deps, request.principal, subject, request.params.id, request.body),
        })),
    );
  }
};
