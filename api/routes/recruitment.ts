import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  CandidatesAdded,
  CandidateView,
  LeaveBody,
  NewCandidates,
  NewRound,
  RoundView,
  StepBody,
} from '../schemas/recruitment';
import { addCandidates, candidateLeaves, createRound, getRound } from '../services/recruitment';
import type { AppDeps } from '../deps';
import { auditRoundCandidateReads, trialDayOnly } from '../access';
import { CandidateAnswer } from '../schemas/candidate-people';
import { candidateFor, recordStepAs } from '../services/candidate-people';

/** Recruitment is the office's own work: its coordinators (and the admin) only; partners come in later. */
const OFFICE = ['admin', 'coordinator'] as const;

export const recruitmentRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/recruitment-rounds',
    {
      config: { access: { roles: ['coordinator'], audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'createRecruitmentRound',
        summary: "Open a recruitment round of the caller's office for a programme and region",
        description:
          "The draaiboek (the steps a candidate goes through, each with its deadline) is WelSlagen's unless " +
          'given; an impossible one (no selection, the match not last) is refused. Idempotent under its ' +
          'Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: NewRound,
        response: responses(201, RoundView, 'The round, empty'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (id) => ({
        statusCode: 201,
        body: await createRound(deps, request.principal, id, request.body),
      })),
  );

  app.get(
    '/recruitment-rounds/:id',
    {
      config: { access: { roles: OFFICE, resource: 'recruitment-round', audit: 'read' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'getRecruitmentRound',
        summary: 'A round as a pipeline: per step who is at it, who is overdue and who left; every candidate',
        params: IdParams,
        response: responses(200, RoundView, 'The round with its pipeline and candidates'),
      },
    },
    async (request) => {
      const round = await getRound(deps, request.params.id);
      // Every candidate's name and notes are in the answer: each candidate's own audit trail records the read.
      await auditRoundCandidateReads(
        deps.db,
        request,
        round.id,
        round.candidates.map((c) => c.id),
      );
      return round;
    },
  );

  app.post(
    '/recruitment-rounds/:id/candidates',
    {
      config: { access: { roles: OFFICE, resource: 'recruitment-round', audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'addCandidates',
        summary: "Add candidates from a gemeente's or UWV's list: all of them, or none",
        description:
          'Every row is checked before any is added: a BSN failing the elfproef, a source that is not a gemeente ' +
          'or UWV the office works with, the same person twice in the list, someone already in the round (on ' +
          'the BSN hash, or name, birth date and e-mail together) or in a running trajectory of the programme. ' +
          'A near match (a typo in the name with the same birth date, or the same e-mail) is refused until a ' +
          "person names it in `distinctFrom`. Each candidate gets a pseudonymous reference and starts the round's " +
          'draaiboek. Idempotent under its Idempotency-Key: a repeat after an interruption starts what is missing.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: NewCandidates,
        response: responses(201, CandidatesAdded, 'The candidates added'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (requestId) => ({
        statusCode: 201,
        body: await addCandidates(deps, request.params.id, requestId, request.body),
      })),
  );

  app.get(
    '/candidates/:id',
    {
      // The employer proposed for the trial day and the assigned jobcoach read a minimised card.
      config: { access: { roles: [...OFFICE, 'employer', 'jobcoach'], resource: 'candidate', audit: 'read' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'getCandidate',
        summary: 'A candidate: where it stands in the draaiboek, and what happened so far',
        description:
          "The office's coordinators get the full view. The employer proposed for the trial day and the jobcoach " +
          'assigned get a card: reference, first name, step and deadline, the trial day (the jobcoach also the ' +
          'e-mail address); never a BSN hash, date of birth or who handed the candidate over. The employer reads ' +
          'the candidate while it is in progress up to the trial day, and for 14 days after the trial day was ' +
          'judged; after that, or once the candidate left before it, the candidate is unknown to it (404).',
        params: IdParams,
        response: responses(200, CandidateAnswer, 'The candidate'),
      },
    },
    async (request) => candidateFor(deps, request.principal, request.params.id),
  );

  app.post(
    '/candidates/:id/steps',
    {
      config: {
        access: { roles: [...OFFICE, 'employer'], resource: 'candidate', audit: 'change', conceals: trialDayOnly },
      },
      schema: {
        tags: ['recruitment'],
        operationId: 'recordCandidateStep',
        summary: "Record the outcome of the candidate's current step",
        description:
          'Outcomes per kind of step: voorlichting attended|absent, groepsintake passed|not_passed, meeloopdag ' +
          'positive|negative (with employerId), vog received|refused, selectie selected|rejected, match ' +
          'matched|no_match (matched with employerId). The first goes on to the next step, the second ends the ' +
          'candidacy with the reason it implies. Another step than the current one is refused with 422. After a ' +
          "proposal the trial day is the proposed employer's (employerId may be left out). The employer itself " +
          'records only the meeloopdag of a candidate proposed to it, as itself; anything else answers 404 as an ' +
          'unknown candidate. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: StepBody,
        response: responses(200, CandidateAnswer, 'The candidate after the step'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (updateId) => ({
        statusCode: 200,
        body: await recordStepAs(deps, request.principal, request.params.id, request.body, updateId),
      })),
  );

  app.post(
    '/candidates/:id/leave',
    {
      config: { access: { roles: OFFICE, resource: 'candidate', audit: 'change' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'candidateLeaves',
        summary: 'The candidate leaves the round, with a reason from the fixed list',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: LeaveBody,
        response: responses(200, CandidateView, 'The candidate, left'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (updateId) => ({
        statusCode: 200,
        body: await candidateLeaves(deps, request.params.id, request.body, updateId),
      })),
  );
};
