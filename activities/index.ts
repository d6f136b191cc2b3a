// Activities are factories over injected dependencies; workflows import only the type.
import type { Db } from '../db/connection';
import { createTrajectoryActivities } from './trajectory';

export interface ActivityDeps { db: Db }

export function createActivities(deps: ActivityDeps) {
  return { ...createTrajectoryActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
