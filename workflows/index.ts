// The workflow bundle's entry: every workflow type the worker registers.
export { trajectoryWorkflow } from './trajectory';
export { retentionWorkflow } from './retention';
export { digestWorkflow } from './digest';
export { followUpWorkflow } from './follow-up';
export { candidateWorkflow } from './candidate';
export { deadlinesWorkflow } from './deadlines';
