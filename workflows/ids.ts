// Workflow IDs derive from business IDs, so a repeated launch finds the running workflow instead of
// starting a second one. The task queue is named once.
export const TASK_QUEUE = 'toeleiding';

export const trajectoryWorkflowId = (trajectoryId: string) => `trajectory-${trajectoryId}`;
export const followUpWorkflowId = (trajectoryId: string) => `follow-up-${trajectoryId}`;
export const candidateWorkflowId = (candidateId: string) => `candidate-${candidateId}`;
export const deadlinesWorkflowId = (trajectoryId: string) => `deadlines-${trajectoryId}`;
