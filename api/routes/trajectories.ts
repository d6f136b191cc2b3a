import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import type { UpdateDefinition } from '@temporalio/common';
import { changeUpdate, confirmBblUpdate, recordAttendanceUpdate, recordCheckpointUpdate, type Recorded as RecordedResult } from '../../workflows/trajectory';
import { getSchedule, getTrajectory, recordOn } from '../services/trajectories';
import { IdempotencyHeaders, idempotent } from '../idempotency';
import { IdParams, problemResponses } from '../schemas/common';
import { AttendanceRecording, BblConfirmation, Change, CheckpointRecording } from '../schemas/recording';
import { Recorded, Schedule, Trajectory } from '../schemas/trajectory';
import type { AppDeps } from '../deps';

const recordings: { path: string; body: TSchema; update: UpdateDefinition<RecordedResult, [any]>; summary: string; description: string }[] = [
  {
    path: 'attendance', body: AttendanceRecording, update: recordAttendanceUpdate,
    summary: 'Record placement-day (employer) or school-day (ROC) attendance',
    description: 'Each date must be a planned day of its kind and not in the future. A date recorded before is a correction: it needs correctionReason, and the earlier recording stays in the events. All entries are accepted or none.',
  },
  {
    path: 'checkpoints', body: CheckpointRecording, update: recordCheckpointUpdate,
    summary: "Record a jobcoach checkpoint (three-way review) of the programme's template",
    description: 'From the first day of its week on. A checkpoint not recorded by the end of its week is overdue.',
  },
  {
    path: 'changes', body: Change, update: changeUpdate,
    summary: 'Pause, resume, extend, change employer, drop out, or revert a dropout',
    description: `Pause and resume extend the end date by the paused working days. A dropout can be reverted within 14 days, with a reason.`,
  },
  {
    path: 'bbl', body: BblConfirmation, update: confirmBblUpdate,
    summary: 'Confirm the BBL contract (employer) or enrolment (ROC), or a job without BBL',
    description: 'From the programme\'s BBL decision week. Doorstroom happens when both are confirmed; if either is missing two weeks after the planned end, the outcome is "no doorstroom".',
  },
];

export const trajectoryRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/trajectories/:id', {
    schema: {
      tags: ['trajectories'],
      summary: "A participant's trajectory: live state (week, status, next days, open and overdue items, risk signals, outcome) and the events so far",
      params: IdParams,
      response: { 200: Trajectory, ...problemResponses },
    },
  }, async (request) => getTrajectory(deps, request.params.id));

  app.get('/trajectories/:id/schedule', {
    schema: {
      tags: ['trajectories'],
      summary: 'Every week and day with its status: planned, attended, absent (with reason), not planned (holiday or closure, named), paused',
      params: IdParams,
      response: { 200: Schedule, ...problemResponses },
    },
  }, async (request) => getSchedule(deps, request.params.id));

  for (const r of recordings) {
    app.post(`/trajectories/:id/${r.path}`, {
      schema: { tags: ['recording'], summary: r.summary, description: `${r.description} Guarded by Idempotency-Key.`, params: IdParams, headers: IdempotencyHeaders, body: r.body, response: { 200: Recorded, ...problemResponses } },
    }, async (request, reply) => {
      const { id } = request.params;
      const out = await idempotent(deps.db, { scope: `POST /v1/trajectories/${id}/${r.path}`, key: request.headers['idempotency-key'], body: request.body }, async (updateId) => ({
        statusCode: 200,
        body: await recordOn(deps, id, r.update, request.body, updateId),
      }));
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(out.statusCode).send(out.body);
    });
  }
};
