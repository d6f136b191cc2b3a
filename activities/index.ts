// Activities are factories over injected dependencies; workflows import only the type.
import type { Db } from '../db/connection';
import type { Mailer } from '../infra/mail';
import { createRetentionActivities } from './retention';
import { createTrajectoryActivities } from './trajectory';

/** `mailer` is what reminders (and the simulator's mail capture) send through. */
export interface ActivityDeps { db: Db; mailer?: Mailer }

export function createActivities(deps: ActivityDeps) {
  return { ...createTrajectoryActivities(deps), ...createRetentionActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
