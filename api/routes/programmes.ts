import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addProgrammeVersion, listProgrammes } from '../../db/programmes';
import type { Programme as ProgrammeRow } from '../../db/schema';
import { IdempotencyHeaders, idempotent } from '../idempotency';
import { problemResponses } from '../schemas/common';
import { NewProgrammeVersion, Programme } from '../schemas/programme';
import type { AppDeps } from '../deps';

const toView = (p: ProgrammeRow): Programme => ({ id: p.id, version: p.version, name: p.name, template: p.template, createdAt: p.created_at.toISOString() });

export const programmeRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/programmes', {
    schema: { tags: ['programmes'], summary: 'Programme templates, every version', response: { 200: Type.Object({ items: Type.Array(Programme) }), ...problemResponses } },
  }, async () => ({ items: (await listProgrammes(deps.db)).map(toView) }));

  app.post('/programmes', {
    schema: {
      tags: ['programmes'],
      summary: 'Publish a new version of a programme template (affects only cohorts launched afterwards)',
      headers: IdempotencyHeaders,
      body: NewProgrammeVersion,
      response: { 201: Programme, ...problemResponses },
    },
  }, async (request, reply) => {
    const out = await idempotent(deps.db, { scope: 'POST /v1/programmes', key: request.headers['idempotency-key'], body: request.body }, async () => ({
      statusCode: 201,
      body: toView(await addProgrammeVersion(deps.db, request.body)),
    }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(out.statusCode).send(out.body);
  });
};
