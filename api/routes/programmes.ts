import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { ALL_ROLES, COORDINATION } from '../access';
import { Page, Paged, pageOf, responses } from '../schemas/common';
import { NewProgrammeVersion, Programme } from '../schemas/programme';
import { publishProgramme, visibleProgrammes } from '../services/programmes';
import type { AppDeps } from '../deps';

export const programmeRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/programmes',
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: ['programmes'],
        operationId: 'listProgrammes',
        summary: "Programme templates, every version: the office's own and the shared ones",
        querystring: Page,
        response: responses(200, Paged(Programme), 'A page of programme template versions'),
      },
    },
    async (request) => pageOf(await visibleProgrammes(deps, request.principal), request.query),
  );

  app.post(
    '/programmes',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['programmes'],
        operationId: 'publishProgrammeVersion',
        summary: 'Publish a new version of a programme template (affects only cohorts launched afterwards)',
        description:
          'An office publishes its own programmes, with ids beginning with its own id and a dot; a version ' +
          "changes only that office's launches. Shared templates (WelSlagen) are the admin's and read-only: " +
          'derive your own with `basedOn`. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: NewProgrammeVersion,
        response: responses(201, Programme, 'The published version'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 201,
        body: await publishProgramme(deps, request.principal, request.body),
      })),
  );
};
