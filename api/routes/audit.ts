import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listAuditEvents } from '../../db/audit';
import { COORDINATION } from '../access';
import { AuditEvent, AuditQuery } from '../schemas/audit';
import { Paged, responses } from '../schemas/common';
import type { AppDeps } from '../deps';

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/audit-events',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['privacy'],
        operationId: 'listAuditEvents',
        summary: "Who read or changed participants' personal data: when, which key and organisation, which route",
        description:
          "A coordinator sees the events about its programme office's cohorts and their participants. The " +
          'log cannot be changed through the API (nor in the database: a trigger refuses it).',
        querystring: AuditQuery,
        response: responses(200, Paged(AuditEvent), 'A page of audit events'),
      },
    },
    async (request) => {
      const p = request.principal;
      const { items, total } = await listAuditEvents(deps.db, {
        ...request.query,
        programmeOfficeId: p.role === 'admin' ? undefined : p.organisationId!,
      });
      return {
        items: items.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          actor: e.actor,
          organisationId: e.organisation_id,
          role: e.role,
          action: e.action,
          resource: e.resource,
          resourceId: e.resource_id,
          trajectoryId: e.trajectory_id,
          route: e.route,
          requestId: e.request_id,
        })),
        total,
        limit: request.query.limit,
        offset: request.query.offset,
      };
    },
  );
};
