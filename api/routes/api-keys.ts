import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { ApiKey, CreatedApiKey, NewApiKey } from '../schemas/api-key';
import { IdParams, Page, Paged, responses } from '../schemas/common';
import { createApiKey, pageApiKeys, revoke } from '../services/partners';
import type { AppDeps } from '../deps';

export const apiKeyRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api-keys',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['api keys'],
        operationId: 'createApiKey',
        summary: 'Create an API key for an organisation and role; its secret is in this response only',
        description:
          'Only a hash of the secret is stored. A repeat with the same Idempotency-Key returns the key ' +
          'without its secret: if the first response was lost, revoke the key and create another. Guarded ' +
          'by Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: NewApiKey,
        response: responses(
          201,
          CreatedApiKey,
          'The new key with its secret (in this response only; a replay shows a placeholder instead)',
        ),
      },
    },
    async (request, reply) =>
      idempotentReply(
        deps,
        request,
        reply,
        async (id) => ({ statusCode: 201, body: await createApiKey(deps, request.principal, request.body, id) }),
        { keep: ({ secret: _, ...rest }) => ({ ...rest, secret: '(shown once, when the key was created)' }) },
      ),
  );

  app.get(
    '/api-keys',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['api keys'],
        operationId: 'listApiKeys',
        summary: 'Keys of the organisations the caller works with, with when each was last used',
        querystring: Page,
        response: responses(200, Paged(ApiKey), 'A page of keys, each with when it was last used'),
      },
    },
    async (request) => pageApiKeys(deps, request.principal, request.query),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { access: { roles: COORDINATION, resource: 'api-key', manage: true } },
      schema: {
        tags: ['api keys'],
        operationId: 'revokeApiKey',
        summary: 'Revoke a key: it stops working at once (repeating this changes nothing)',
        params: IdParams,
        response: responses(200, ApiKey, 'The key, revoked (`revokedAt` set)'),
      },
    },
    async (request) => revoke(deps, request.params.id),
  );
};
