import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findOrganisation, insertOrganisation, listOrganisations } from '../../db/organisations';
import type { Organisation as OrganisationRow } from '../../db/schema';
import { conflict, notFound } from '../errors';
import { IdempotencyHeaders, idempotent } from '../idempotency';
import { IdParams, Paged, problemResponses } from '../schemas/common';
import { NewOrganisation, Organisation, OrganisationQuery } from '../schemas/organisation';
import type { AppDeps } from '../deps';

const toView = (o: OrganisationRow): Organisation => ({ id: o.id, name: o.name, kind: o.kind, region: o.region, email: o.email, createdAt: o.created_at.toISOString() });

export const organisationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/organisations', {
    schema: { tags: ['organisations'], summary: 'Covenant partners', querystring: OrganisationQuery, response: { 200: Paged(Organisation), ...problemResponses } },
  }, async (request) => {
    const { items, total } = await listOrganisations(deps.db, request.query);
    return { items: items.map(toView), total, limit: request.query.limit, offset: request.query.offset };
  });

  app.get('/organisations/:id', {
    schema: { tags: ['organisations'], params: IdParams, response: { 200: Organisation, ...problemResponses } },
  }, async (request) => {
    const org = await findOrganisation(deps.db, request.params.id);
    if (!org) throw notFound(`Organisation ${request.params.id}`);
    return toView(org);
  });

  app.post('/organisations', {
    schema: {
      tags: ['organisations'],
      summary: 'Register a covenant partner (programme office, employer, school, gemeente, UWV)',
      headers: IdempotencyHeaders,
      body: NewOrganisation,
      response: { 201: Organisation, ...problemResponses },
    },
  }, async (request, reply) => {
    const out = await idempotent(deps.db, { scope: 'POST /v1/organisations', key: request.headers['idempotency-key'], body: request.body }, async (resourceId) => {
      const { id = resourceId, region, email, ...rest } = request.body;
      const org = await insertOrganisation(deps.db, { id, ...rest, region: region ?? null, email: email ?? null });
      if (!org) throw conflict(`An organisation with id ${id} already exists with other details`);
      return { statusCode: 201, body: toView(org) };
    });
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(out.statusCode).send(out.body);
  });
};
