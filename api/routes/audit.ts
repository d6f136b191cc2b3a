import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION } from '../access';
import { AuditEvent, AuditQuery } from '../schemas/audit';
import { Paged, responses } from '../schemas/common';
import { pageAuditEvents } from '../services/audit';
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
    async (request) => pageAuditEvents(deps, request.principal, request.query),
  );
};
