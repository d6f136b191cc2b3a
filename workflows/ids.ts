// Workflow IDs derive from business IDs, so a repeated launch finds the running workflow instead of
// starting a second one. The task queue is named once.
export const TASK_QUEUE = 'toeleiding';

export const trajectoryWorkflowId = (trajectoryId: string) => `trajectory-${trajectoryId}`;
export const followUpWorkflowId = (trajectoryId: string) => `follow-up-${trajectoryId}`;
export const candidateWorkflowId = (candidateId: string) => `candidate-${candidateId}`;
export const deadlinesWorkflowId = (trajectoryId: string) => `deadlines-${trajectoryId}`;

/**
 * The queue the morning digest's office parts (composing and delivering) run on: next to the worker's own, so each
 * worker process takes only DIGEST_PARTS_PER_WORKER of them at once and a morning spreads over the workers (on one
 * queue, one worker's pollers took every part and its mailer's rate capped the whole morning).
 */
export const digestPartsQueue = (taskQueue: string) => `${taskQueue}-digest`;
