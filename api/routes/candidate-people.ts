// The office names who acts on a candidate: the employer for the trial day, and the jobcoach. The employer's
// judgement goes through POST /v1/candidates/{id}/steps, and both read the candidate through GET /v1/candidates/{id}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { CandidateDetail, JobcoachBody, ProposalBody } from '../schemas/candidate-people';
import { IdParams, responses } from '../schemas/common';
import { assignCandidateJobcoach, proposeEmployer } from '../services/candidate-people';

const OFFICE = ['admin', 'coordinator'] as const;

export const candidatePeopleRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/candidates/:id/proposal',
    {
      config: { access: { roles: OFFICE, resource: 'candidate', audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'proposeCandidateEmployer',
        summary: 'Propose an employer the office works with for the trial day (meeloopdag)',
        description:
          'The employer then sees the candidate (a minimised card) and records its judgement of the trial day. A ' +
          'new proposal replaces the last one until the trial day is judged; after it, or for a candidate that left ' +
          'or was matched, the process refuses it with 422. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ProposalBody,
        response: responses(200, CandidateDetail, 'The candidate with its proposal'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (updateId) => ({
        statusCode: 200,
        body: await proposeEmployer(deps, request.params.id, request.body, updateId),
      })),
  );

  app.post(
    '/candidates/:id/jobcoach',
    {
      config: { access: { roles: OFFICE, resource: 'candidate', audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'assignCandidateJobcoach',
        summary: 'Assign a jobcoach to the candidate; the jobcoach then sees it among its candidates',
        description:
          'A contact with the role jobcoach, of the office or an organisation it works with. A new assignment ' +
          'replaces the last. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: JobcoachBody,
        response: responses(200, CandidateDetail, 'The candidate with its jobcoach'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await assignCandidateJobcoach(deps, request.params.id, request.body),
      })),
  );
};
