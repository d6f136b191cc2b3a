// One participant's toeleidingstraject: waits for the start date, walks the plan, ends on the end date.
// Contract first: input and state types, message definitions, activity proxies, then the workflow.
import { defineQuery, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ProgrammeTemplate } from '../api/schemas/programme';
import { addDays, localDate, localInstant, planTrajectory, weekOf, type Closure, type Holiday, type PlannedDay, type Weekday } from './calendar';

export interface TrajectoryInput {
  trajectoryId: string;
  cohortId: string;
  programme: { id: string; version: number; template: ProgrammeTemplate };
  region: string;
  startDate: string;
  placementWeekdays: Weekday[];
  schoolWeekday: Weekday;
  /** Public holidays over the trajectory's span, looked up outside the workflow (date-holidays). */
  holidays: Holiday[];
  closures: Closure[];
}

export type TrajectoryStatus = 'planned' | 'active' | 'ended';

export interface TrajectoryState {
  status: TrajectoryStatus;
  today: string;
  /** 0 before the start, then 1..weeks. */
  week: number;
  weeks: number;
  startDate: string;
  endDate: string;
  programme: { id: string; version: number };
  nextDays: PlannedDay[];
}

export interface TrajectoryResult { status: TrajectoryStatus; endDate: string }

/**
 * Live state as of a date. The caller passes today's date: inside a query the workflow clock stands at its
 * last activation (possibly days ago, while it sleeps), so it is only the fallback.
 */
export const stateQuery = defineQuery<TrajectoryState, [asOf?: string]>('state');

const { recordTrajectoryStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

async function sleepUntil(instant: number): Promise<void> {
  const wait = instant - Date.now();
  if (wait > 0) await sleep(wait);
}

export async function trajectoryWorkflow(input: TrajectoryInput): Promise<TrajectoryResult> {
  const { template } = input.programme;
  const plan = planTrajectory({ ...template, ...input });
  let status: TrajectoryStatus = 'planned';

  setHandler(stateQuery, (asOf) => {
    const today = asOf ?? localDate(Date.now());
    return {
      status,
      today,
      week: Math.min(weekOf(plan.startDate, today), template.weeks),
      weeks: template.weeks,
      startDate: plan.startDate,
      endDate: plan.endDate,
      programme: { id: input.programme.id, version: input.programme.version },
      nextDays: plan.days.filter((d) => d.date >= today).slice(0, 5),
    };
  });

  await sleepUntil(localInstant(plan.startDate));
  status = 'active';
  await recordTrajectoryStatus({ trajectoryId: input.trajectoryId, status });

  await sleepUntil(localInstant(addDays(plan.endDate, 1)));
  status = 'ended';
  await recordTrajectoryStatus({ trajectoryId: input.trajectoryId, status });
  return { status, endDate: plan.endDate };
}
