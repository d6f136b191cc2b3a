import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addProgrammeVersion, listProgrammes } from '../../db/programmes';
import type { Programme as ProgrammeRow } from '../../db/schema';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { ALL_ROLES, COORDINATION } from '../access';
import { Page, Paged, pageOf, problemResponses } from '../schemas/common';
import { NewProgrammeVersion, Programme } from '../schemas/programme';
import type { AppDeps } from '../deps';

const toView = (p: ProgrammeRow): Programme => ({ id: p.id, version: p.version, name: p.name, template: p.template, createdAt: p.created_at.toISOString() });

export const programmeRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/programmes', {
    config: { access: { roles: ALL_ROLES } },
    schema: { tags: ['programmes'], summary: 'Programme templates, every version', querystring: Page, response: { 200: Paged(Programme), ...problemResponses } },
  }, async (request) => pageOf((await listProgrammes(deps.db)).map(toView), request.query));

  app.post('/programmes', {
    config: { access: { roles: COORDINATION } },
    schema: {
      tags: ['programmes'],
      summary: 'Publish a new version of a programme template (affects only cohorts launched afterwards)',
      headers: IdempotencyHeaders,
      body: NewProgrammeVersion,
      response: { 201: Programme, ...problemResponses },
    },
  }, async (request, reply) => idempotentReply(deps, request, reply, async () => ({
    statusCode: 201,
    body: toView(await addProgrammeVersion(deps.db, request.body)),
  })));
};
