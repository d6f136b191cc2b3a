import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { noteAudit } from '../access';
import { IdempotencyHeaders } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  BsnReport,
  BsnReportBody,
  BsnReportQuery,
  EsfEvidence,
  EsfEvidenceQuery,
  EsfStaffHours,
  StaffHoursBody,
  SubsidyEvidence,
  SubsidyEvidenceQuery,
} from '../schemas/evidence';
import { bsnListOfCsv, bsnReport } from '../services/bsn-report';
import { esfCsv, esfEvidence, esfXlsx, recordStaffHours } from '../services/esf-evidence';
import { subsidyCsv, subsidyEvidence, subsidyFileName, subsidyXlsx } from '../services/subsidy-evidence';
import { sendDownload } from '../../web/spreadsheet';
import type { AppDeps } from '../deps';

export const evidenceRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  // The BSN report also takes the gemeente's list as it keeps it: a CSV, one BSN a line. Only in this plugin.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) =>
    done(null, { bsn: bsnListOfCsv(body as string) }),
  );

  app.get(
    '/organisations/:id/subsidy-evidence',
    {
      config: { access: { roles: ['admin', 'coordinator', 'employer'], resource: 'organisation', audit: 'export' } },
      schema: {
        tags: ['evidence'],
        operationId: 'getSubsidyEvidence',
        summary: "An employer's praktijkleren subsidy file for a school year: each student's supervised weeks",
        description:
          'Per participant placed with the employer, the weeks of the school year (1 August to 31 July) in which the ' +
          'employer recorded the participant present on a placement day (its weekly confirmation), at most 40 ' +
          'counted (Subsidieregeling praktijkleren), with the BBL contract start it confirmed; the application ' +
          'deadline; the POK stays empty (not recorded yet). The employer itself, or its office coordinator (only ' +
          "the office's own participants). JSON, or `format=xlsx` (explanation, students, weeks) or `format=csv-nl`. " +
          'Keep it 5 years. Audited per participant.',
        params: IdParams,
        querystring: SubsidyEvidenceQuery,
        produces: ['application/json', 'text/csv'],
        response: responses(200, SubsidyEvidence, 'The file'),
      },
    },
    async (request, reply) => {
      const e = await subsidyEvidence(deps, request.principal, request.params.id, request.query.schoolYear);
      noteAudit(
        request,
        e.students.map((s) => s.trajectoryId),
      );
      if (request.query.format === 'xlsx')
        return sendDownload(reply as FastifyReply, subsidyFileName(e), { xlsx: await subsidyXlsx(e) });
      if (request.query.format === 'csv-nl')
        return sendDownload(reply as FastifyReply, subsidyFileName(e), { csv: subsidyCsv(e) });
      return e;
    },
  );

  app.get(
    '/covenants/:id/esf-evidence',
    {
      config: { access: { roles: ['admin', 'coordinator'], resource: 'covenant', manage: true, audit: 'export' } },
      schema: {
        tags: ['evidence'],
        operationId: 'getEsfEvidence',
        summary: "An ESF+ project's participant list and staff hours (a project is a covenant)",
        description:
          'Each participant of the covenant by pseudonymous reference: intake (the start), exit (the day it ended), ' +
          'activities counted from the records (placement and school days present, checkpoints recorded) and the ' +
          'result; and the staff hours recorded per organisation and month. JSON, `format=xlsx`, or `format=csv-nl` ' +
          '(`part=participants` or `hours`). The office coordinator only. Audited per participant.',
        params: IdParams,
        querystring: EsfEvidenceQuery,
        produces: ['application/json', 'text/csv'],
        response: responses(200, EsfEvidence, 'The participant list and hours'),
      },
    },
    async (request, reply) => {
      const { trajectoryIds, ...e } = await esfEvidence(deps, request.params.id);
      noteAudit(request, trajectoryIds);
      const name = `esf-${e.covenantId}`;
      if (request.query.format === 'xlsx') return sendDownload(reply as FastifyReply, name, { xlsx: await esfXlsx(e) });
      if (request.query.format === 'csv-nl') {
        const part = request.query.part ?? 'participants';
        return sendDownload(reply as FastifyReply, `${name}-${part === 'hours' ? 'uren' : 'deelnemers'}`, {
          csv: esfCsv(e, part),
        });
      }
      return e;
    },
  );

  app.post(
    '/covenants/:id/staff-hours',
    {
      config: { access: { roles: ['admin', 'coordinator'], resource: 'covenant', manage: true, audit: 'change' } },
      schema: {
        tags: ['evidence'],
        operationId: 'recordStaffHours',
        summary: "Record an organisation's staff hours on the project (covenant) for a month",
        description:
          'Hours in quarters; the organisation must take part in the covenant. A later recording for the same ' +
          'organisation and month replaces the figure, so a repeat changes nothing (Idempotency-Key required as on ' +
          'every POST).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: StaffHoursBody,
        response: responses(200, EsfStaffHours, 'The hours as recorded'),
      },
    },
    async (request) => recordStaffHours(deps, request.principal, request.params.id, request.body),
  );

  app.post(
    '/bsn-reports',
    {
      config: { access: { roles: ['admin', 'coordinator', 'funder'], audit: 'read' } },
      schema: {
        tags: ['evidence'],
        operationId: 'makeBsnReport',
        summary: "Match a gemeente's own BSN list to its participants, through the keyed hash",
        description:
          'The list (JSON `{bsn: [...]}`, or `text/csv` one BSN a line) is hashed with the key of the participants ' +
          "BSNs and matched against the caller's own participants: a gemeente's (or UWV's) key its own, whose " +
          'benefit it pays; a coordinator names the payer in `payerId` and gets its office participants only. Back ' +
          'come the matches with the BSN as sent, intake and exit dates and the result; a row that fails the ' +
          'elfproef is named by its position, in Dutch too, without its value. Nothing of the list is stored or ' +
          'logged, not even for a replay: the Idempotency-Key is required as on every POST, and a repeat simply ' +
          'matches again. Audited as a read of each matched participant.',
        headers: IdempotencyHeaders,
        querystring: BsnReportQuery,
        body: BsnReportBody,
        consumes: ['application/json', 'text/csv'],
        response: responses(200, BsnReport, 'The matches'),
      },
    },
    async (request) => {
      const { trajectoryIds, ...report } = await bsnReport(
        deps,
        request.principal,
        request.body.bsn,
        request.body.payerId ?? request.query.payerId,
      );
      noteAudit(request, trajectoryIds);
      return report;
    },
  );
};
