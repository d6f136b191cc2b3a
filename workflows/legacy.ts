// Frozen: the first version of the trajectory workflow (status only, no recording). Runs started on it
// replay through here; new runs take the recording path (patch 'recording', see trajectory.ts). Delete this
// file, and the patch, once no run started before that patch is open or within retention (README).
import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays, localDate, localInstant, planTrajectory, weekOf } from '../domain/calendar';
import { stateQuery, type TrajectoryInput, type TrajectoryResult } from './trajectory';

const { recordTrajectoryStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

async function sleepUntil(instant: number): Promise<void> {
  const wait = instant - Date.now();
  if (wait > 0) await sleep(wait);
}

export async function legacyTrajectory(input: TrajectoryInput): Promise<TrajectoryResult> {
  const { template } = input.programme;
  const plan = planTrajectory({ ...template, ...input });
  let status: 'planned' | 'active' | 'ended' = 'planned';

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
      employerId: input.employerId ?? '',
      nextDays: plan.days.filter((d) => d.date >= today).slice(0, 5),
      open: { attendance: [], checkpoints: [], overdueCheckpoints: [], bbl: [] },
      risks: [],
      pauses: [],
      sickLeaves: [],
      extensions: [],
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
