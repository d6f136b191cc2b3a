import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_ROLES, COORDINATION } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, Page, Paged, responses } from '../schemas/common';
import { Covenant, NewCovenant, NewMembers } from '../schemas/covenant';
import { addMembers, createCovenant, getCovenant, pageCovenants } from '../services/partners';
import type { AppDeps } from '../deps';

export const covenantRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/covenants',
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: ['covenants'],
        operationId: 'listCovenants',
        summary: 'Covenants the caller coordinates or takes part in, with every partner and its role ("wie is wie")',
        querystring: Page,
        response: responses(200, Paged(Covenant), 'A page of covenants, each with its partners and their roles'),
      },
    },
    async (request) => pageCovenants(deps, request.principal, request.query),
  );

  app.get(
    '/covenants/:id',
    {
      config: { access: { roles: ALL_ROLES, resource: 'covenant' } },
      schema: {
        tags: ['covenants'],
        operationId: 'getCovenant',
        summary: 'A covenant with every partner and its role',
        params: IdParams,
        response: responses(200, Covenant, 'The covenant with its partners and their roles'),
      },
    },
    async (request) => getCovenant(deps, request.params.id),
  );

  app.post(
    '/covenants',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['covenants'],
        operationId: 'createCovenant',
        summary: 'Record a regional covenant: its region, the programme office, and the partners with their roles',
        headers: IdempotencyHeaders,
        body: NewCovenant,
        response: responses(201, Covenant, 'The recorded covenant'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (id) => ({
        statusCode: 201,
        body: await createCovenant(deps, request.principal, request.body, id),
      })),
  );

  app.post(
    '/covenants/:id/members',
    {
      config: { access: { roles: COORDINATION, resource: 'covenant', manage: true } },
      schema: {
        tags: ['covenants'],
        operationId: 'addCovenantMembers',
        summary: 'Add partners to a covenant (a partner that already takes part in that role is left as it is)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: NewMembers,
        response: responses(200, Covenant, 'The covenant with all its partners now'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await addMembers(deps, request.params.id, request.body),
      })),
  );
};
