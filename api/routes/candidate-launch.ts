import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { CandidateLaunch, CandidatesLaunched } from '../schemas/candidate-launch';
import { IdParams, responses } from '../schemas/common';
import { launchCandidates } from '../services/candidate-launch';
import type { AppDeps } from '../deps';

export const candidateLaunchRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/recruitment-rounds/:id/cohort',
    {
      config: { access: { roles: ['admin', 'coordinator'], resource: 'recruitment-round', audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'launchMatchedCandidates',
        summary: "Launch the round's matched candidates into a cohort, without typing anything again",
        description:
          'Each matched candidate becomes a participant: its reference, name, e-mail and BSN hash go along, its ' +
          'employer is the one it was matched with, the benefit payer the gemeente or UWV that handed it over (when ' +
          'it funds the covenant). The ROC and jobcoach may be left out when the covenant has only one. ' +
          '`candidateIds` left out: every matched candidate not launched yet. A candidate not matched, launched ' +
          'before, or not of this round is refused with 422 naming it; nobody starts then. A candidate is launched ' +
          'once only. Idempotent under its Idempotency-Key: a repeat completes an interrupted launch.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CandidateLaunch,
        response: responses(201, CandidatesLaunched, 'The cohort, and the trajectory each candidate became'),
      },
    },
    async (request, reply) =>
      idempotentReply(
        deps,
        request,
        reply,
        async (cohortId) => ({
          statusCode: 201,
          body: await launchCandidates(deps, request.principal, request.params.id, cohortId, request.body),
        }),
        { audit: (out) => out.cohort.trajectories.map((t) => t.id) },
      ),
  );
};
