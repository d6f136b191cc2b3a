import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import type { UpdateDefinition } from '@temporalio/common';
import {
  changeUpdate,
  confirmBblUpdate,
  recordAttendanceUpdate,
  recordCheckpointUpdate,
  type Recorded as RecordedResult,
} from '../../workflows/trajectory';
import {
  attendanceLimits,
  auditBy,
  bblLimits,
  changeLimits,
  COORDINATION,
  followUpLimits,
  type Access,
} from '../access';
import { getSchedule, getTrajectory, recordOn } from '../services/trajectories';
import { eraseTrajectory, exportTrajectory } from '../services/privacy';
import { checkReferredWorkProcesses } from '../services/praktijkverklaring';
import { answerFollowUp, getFollowUps } from '../services/follow-ups';
import { FollowUp, FollowUpAnswer, FollowUpParams, FollowUps } from '../schemas/follow-up';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import { AttendanceRecording, BblConfirmation, Change, CheckpointRecording } from '../schemas/recording';
import { Erasure, ErasureRequest, PersonalDataExport, Recorded, Schedule, Trajectory } from '../schemas/trajectory';
import type { AppDeps } from '../deps';

const recordings: {
  path: string;
  operationId: string;
  body: TSchema;
  update: UpdateDefinition<RecordedResult, [unknown]>;
  access: Access;
  summary: string;
  description: string;
  /** What the route checks against the trajectory's records before the workflow sees the body. */
  check?: (deps: AppDeps, id: string, body: never) => Promise<void>;
}[] = [
  {
    path: 'attendance',
    operationId: 'recordAttendance',
    body: AttendanceRecording,
    update: recordAttendanceUpdate,
    access: {
      roles: ['admin', 'coordinator', 'employer', 'school'],
      resource: 'trajectory',
      audit: 'change',
      body: attendanceLimits,
    },
    summary: 'Record placement-day (employer) or school-day (ROC) attendance',
    description:
      'Each date must be a planned day of its kind and not in the future. A date recorded before is a ' +
      'correction: it needs correctionReason, and the earlier recording stays in the events. All entries are ' +
      'accepted or none. An employer records placement days (from its placement on), an ROC school days.',
  },
  {
    path: 'checkpoints',
    operationId: 'recordCheckpoint',
    body: CheckpointRecording,
    update: recordCheckpointUpdate,
    access: { roles: ['admin', 'coordinator', 'jobcoach'], resource: 'trajectory', audit: 'change' },
    summary: "Record a jobcoach checkpoint (three-way review) of the programme's template",
    description:
      'From the first day of its week on. A checkpoint not recorded by the end of its week is overdue. It may ' +
      "name work processes of the programme's qualification (praktijkverklaring route); an unknown code is refused.",
    check: (deps, id, body: { workProcesses?: string[] }) => checkReferredWorkProcesses(deps, id, body.workProcesses),
  },
  {
    path: 'changes',
    operationId: 'recordChange',
    body: Change,
    update: changeUpdate,
    access: {
      roles: ['admin', 'coordinator', 'jobcoach'],
      resource: 'trajectory',
      audit: 'change',
      body: changeLimits,
    },
    summary: 'Pause, resume, report sick or recovered, extend, change employer, drop out, or revert a dropout',
    description:
      'Pause and resume extend the end date by the paused working days. A sick leave (ziekmelding) stops the ' +
      "placement days from its date until the recovery; school days go on unless the programme's `sickLeave` " +
      'rules pause them, and the end date moves by the sick working days unless they say it stays. Its reason is ' +
      'health data: only the coordinator and the jobcoach read it. A dropout can be reverted within 14 days, with ' +
      'a reason. A jobcoach records pauses, resumptions, sick ' +
      "leave and recovery; everything else is the coordinator's.",
  },
  {
    path: 'bbl',
    operationId: 'confirmBbl',
    body: BblConfirmation,
    update: confirmBblUpdate,
    access: {
      roles: ['admin', 'coordinator', 'employer', 'school'],
      resource: 'trajectory',
      audit: 'change',
      body: bblLimits,
    },
    summary: 'Confirm the BBL contract (employer) or enrolment (ROC), or a job without BBL',
    description:
      "From the programme's BBL decision week. Doorstroom happens when both are confirmed; if either is " +
      'missing two weeks after the planned end, the outcome is "no doorstroom".',
  },
];

const READERS = {
  roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach'],
  resource: 'trajectory',
  audit: 'read',
} as const satisfies Access;

export const trajectoryRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/trajectories/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['trajectories'],
        operationId: 'getTrajectory',
        summary:
          "A participant's trajectory: live state (week, status, next days, open and overdue items, risk " +
          'signals, outcome) and the events so far',
        description:
          'For the coordinator, the ROC, the assigned jobcoach and the employer the participant is placed ' +
          'with (a later employer sees from its placement on; partners other than the coordinator and ' +
          'jobcoach do not see typed notes). Audited.',
        params: IdParams,
        response: responses(200, Trajectory, 'The trajectory: its live state and its events so far'),
      },
    },
    async (request) => getTrajectory(deps, request.params.id, { role: request.principal.role, scope: request.scope }),
  );

  app.get(
    '/trajectories/:id/schedule',
    {
      config: { access: READERS },
      schema: {
        tags: ['trajectories'],
        operationId: 'getSchedule',
        summary:
          'Every week and day with its status: planned, attended, absent (with reason), not planned ' +
          '(holiday or closure, named), paused',
        params: IdParams,
        response: responses(200, Schedule, 'The schedule, week by week'),
      },
    },
    async (request) => getSchedule(deps, request.params.id, { role: request.principal.role, scope: request.scope }),
  );

  for (const r of recordings) {
    app.post(
      `/trajectories/:id/${r.path}`,
      {
        config: { access: r.access },
        schema: {
          tags: ['recording'],
          operationId: r.operationId,
          summary: r.summary,
          description: `${r.description} Guarded by Idempotency-Key.`,
          params: IdParams,
          headers: IdempotencyHeaders,
          body: r.body,
          response: responses(
            200,
            Recorded,
            'Recorded: the sequence number of the event it added, the status and the end date now',
          ),
        },
      },
      async (request, reply) =>
        idempotentReply(deps, request, reply, async (updateId) => {
          await r.check?.(deps, request.params.id, request.body as never);
          return {
            statusCode: 200,
            body: await recordOn(deps, request.params.id, r.update, request.body, updateId, request.principal),
          };
        }),
    );
  }

  app.get(
    '/trajectories/:id/follow-ups',
    {
      config: { access: READERS },
      schema: {
        tags: ['follow-up'],
        operationId: 'getFollowUps',
        summary:
          'The follow-up after doorstroom: at 3, 6 and 12 months, is the participant still employed and ' +
          'still enrolled?',
        description:
          "Questions appear on their due date and stay open for the programme's answer window (28 days); " +
          'an answer still missing after it counts as "no answer". Empty before doorstroom.',
        params: IdParams,
        response: responses(
          200,
          FollowUps,
          'The follow-up questions so far with their answers (none before doorstroom)',
        ),
      },
    },
    async (request) => getFollowUps(deps, request.params.id),
  );

  app.post(
    '/trajectories/:id/follow-ups/:months',
    {
      config: {
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: followUpLimits,
        },
      },
      schema: {
        tags: ['follow-up'],
        operationId: 'answerFollowUp',
        summary:
          'Answer a follow-up: the employer whether the participant still works there, the ROC whether the ' +
          'participant is still enrolled',
        description:
          'Only while the question is open (from its due date until it closes); a later answer to the same ' +
          'question replaces the earlier one. A "no" is carried to the later follow-ups. Guarded by Idempotency-Key.',
        params: FollowUpParams,
        headers: IdempotencyHeaders,
        body: FollowUpAnswer,
        response: responses(200, FollowUp, 'The follow-up with the answers now'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (updateId) => ({
        statusCode: 200,
        body: await answerFollowUp(
          deps,
          request.params.id,
          { months: request.params.months, ...request.body },
          updateId,
        ),
      })),
  );

  app.get(
    '/trajectories/:id/export',
    {
      config: { access: { roles: COORDINATION, resource: 'trajectory', manage: true, audit: 'export' } },
      schema: {
        tags: ['privacy'],
        operationId: 'exportTrajectory',
        summary:
          'Everything held about the participant (AVG article 15): the record, events, attendance, ' +
          'checkpoints, placements, and who read or changed it',
        params: IdParams,
        response: responses(200, PersonalDataExport, 'Everything held about the participant'),
      },
    },
    async (request) => exportTrajectory(deps, request.params.id),
  );

  app.post(
    '/trajectories/:id/erasure',
    {
      // Audited inside the anonymising transaction itself, so an erasure is never left unrecorded.
      config: { access: { roles: COORDINATION, resource: 'trajectory', manage: true } },
      schema: {
        tags: ['privacy'],
        operationId: 'eraseTrajectory',
        summary: "Erase the participant's personal data (AVG article 17): anonymise a finished trajectory now",
        description:
          'Only once the trajectory has finished (a running one needs its data; end it with a dropout ' +
          'first). Name, e-mail, reference, BSN hash and typed notes go; dates, statuses, attendance and the ' +
          'outcome stay, so figures do not change. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ErasureRequest,
        response: responses(200, Erasure, 'Anonymised: when'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await eraseTrajectory(deps, request.params.id, auditBy(request, 'erase')),
      })),
  );
};
