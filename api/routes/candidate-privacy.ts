import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditBy } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { CandidateDataExport, CandidateErasure } from '../schemas/candidate-privacy';
import { IdParams, responses } from '../schemas/common';
import { ErasureRequest } from '../schemas/trajectory';
import { eraseCandidate, exportCandidate } from '../services/candidate-privacy';
import type { AppDeps } from '../deps';

const OFFICE = ['admin', 'coordinator'] as const;

export const candidatePrivacyRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/candidates/:id/export',
    {
      config: { access: { roles: OFFICE, resource: 'candidate', audit: 'export' } },
      schema: {
        tags: ['privacy'],
        operationId: 'exportCandidate',
        summary: 'Everything held about a candidate (AVG article 15): the record, every step, and who read it',
        params: IdParams,
        response: responses(200, CandidateDataExport, 'Everything held about the candidate'),
      },
    },
    async (request) => exportCandidate(deps, request.params.id),
  );

  app.post(
    '/candidates/:id/erasure',
    {
      // Audited inside the anonymising transaction itself, so an erasure is never left unrecorded.
      config: { access: { roles: OFFICE, resource: 'candidate' } },
      schema: {
        tags: ['privacy'],
        operationId: 'eraseCandidate',
        summary: "Erase a candidate's personal data (AVG article 17): anonymise it now",
        description:
          'Only once the candidate left the round or was matched (one still in the round needs its data: record ' +
          'that it leaves first). Name, e-mail, date of birth, BSN hash, reference and the notes at its steps go, ' +
          'and the text of mails about it; the round, steps, dates and the reason for leaving stay, so the funnel ' +
          'figures do not change. A trajectory the candidate became has its own erasure. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ErasureRequest,
        response: responses(200, CandidateErasure, 'Anonymised: when'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await eraseCandidate(deps, request.params.id, auditBy(request, 'erase')),
      })),
  );
};
