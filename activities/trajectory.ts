// Projections of the trajectory workflow into PostgreSQL. Every write is keyed so a retry is harmless.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { ActivityDeps } from './index';
import type { FollowUpInput } from '../workflows/follow-up';
import { followUpWorkflowId } from '../workflows/ids';
import { writeFollowUp, type FollowUpProjection } from '../db/follow-ups';
import { setTrajectoryStatus, writeProjection, type Projection } from '../db/trajectories';
import type { TrajectoryStatus } from '../domain/statuses';

export function createTrajectoryActivities({ db, temporal }: ActivityDeps) {
  return {
    async projectTrajectory(projection: Projection): Promise<void> {
      await writeProjection(db, projection);
    },
    /**
     * Starts the follow-up after doorstroom as a workflow of its own, not as a child: it outlives the
     * trajectory by a year and answers to nobody. Once per trajectory, however often this is retried.
     */
    async startFollowUp(input: FollowUpInput): Promise<void> {
      // Retryable: a worker without a client is a configuration error an operator fixes, not an outcome.
      if (!temporal)
        throw ApplicationFailure.retryable(
          'the worker has no Temporal client in its activity dependencies',
          'NoTemporalClient',
        );
      try {
        await temporal.workflow.start('followUpWorkflow', {
          taskQueue: Context.current().info.taskQueue,
          workflowId: followUpWorkflowId(input.trajectoryId),
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      } catch (e) {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      }
    },
    async projectFollowUp(projection: FollowUpProjection): Promise<void> {
      await writeFollowUp(db, projection);
    },
    /** Kept for runs of the first workflow version (workflows/legacy.ts). */
    async recordTrajectoryStatus(input: { trajectoryId: string; status: TrajectoryStatus }): Promise<void> {
      await setTrajectoryStatus(db, input.trajectoryId, input.status);
    },
  };
}
