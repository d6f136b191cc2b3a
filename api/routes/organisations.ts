import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findOrganisation, insertOrganisation, listOrganisations } from '../../db/organisations';
import type { Organisation as OrganisationRow } from '../../db/schema';
import { conflict, notFound } from '../errors';
import { IdempotencyHeaders, idempotent } from '../idempotency';
import { IdParams, Paged, problemResponses } from '../schemas/common';
import { NewOrganisation, Organisation, OrganisationQuery } from '../schemas/organisation';
import type { AppDeps } from '../deps';
import { Type } from 'typebox';
import { Closure, WeekAttendance } from '../schemas/recording';
import { ClosureView, WeekAttendanceResult } from '../schemas/trajectory';
import { listSchoolClosures, publishClosure, recordWeek } from '../services/partner-recording';

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

  app.post('/organisations/:id/attendance-weeks', {
    schema: {
      tags: ['recording'],
      summary: 'Record a whole week for every participant the organisation has: all present except the listed absences',
      description:
        'For an employer the placement days, for an ROC the school days, up to today. Days recorded before are left as they are and listed as alreadyRecorded. Everything is checked before anything is recorded. Guarded by Idempotency-Key.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: WeekAttendance,
      response: { 200: WeekAttendanceResult, ...problemResponses },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const out = await idempotent(deps.db, { scope: `POST /v1/organisations/${id}/attendance-weeks`, key: request.headers['idempotency-key'], body: request.body }, async (requestId) => ({
      statusCode: 200,
      body: await recordWeek(deps, id, request.body, requestId),
    }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(out.statusCode).send(out.body);
  });

  app.get('/organisations/:id/closures', {
    schema: { tags: ['organisations'], summary: "An ROC's closure periods", params: IdParams, response: { 200: Type.Array(ClosureView), ...problemResponses } },
  }, async (request) => listSchoolClosures(deps, request.params.id));

  app.post('/organisations/:id/closures', {
    schema: {
      tags: ['organisations'],
      summary: 'An ROC publishes a closure period',
      description: "School days in the period become 'not planned' for every trajectory of this ROC that has not yet reached them. Guarded by Idempotency-Key.",
      params: IdParams,
      headers: IdempotencyHeaders,
      body: Closure,
      response: { 201: ClosureView, ...problemResponses },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const out = await idempotent(deps.db, { scope: `POST /v1/organisations/${id}/closures`, key: request.headers['idempotency-key'], body: request.body }, async (closureId) => ({
      statusCode: 201,
      body: await publishClosure(deps, id, request.body, closureId),
    }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(out.statusCode).send(out.body);
  });
};
