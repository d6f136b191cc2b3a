// A participant's intake, exit and result as the evidence files state them (ESF+ participant list, the BSN report):
// the intake is the trajectory's start, the exit the day it ended (a dropout's own date, else the planned end of a
// finished trajectory), the result its outcome in the words of the funders' figures (domain/outcome-words.ts).
import type { Outcome } from './outcomes';
import { STANDING_NL } from './outcome-words';
import { isFinal, type TrajectoryStatus } from './statuses';

export interface Participation {
  intakeDate: string;
  exitDate: string | null;
  result: string;
}

export function participationOf(t: {
  startDate: string;
  endDate: string;
  status: TrajectoryStatus;
  outcome: Outcome | null;
  praktijkverklaring?: boolean;
}): Participation {
  const standing = t.outcome
    ? t.outcome.kind
    : t.status === 'dropped_out'
      ? 'dropout'
      : t.status === 'ended'
        ? 'no_doorstroom'
        : t.status;
  const result = STANDING_NL[standing] + (t.praktijkverklaring ? ', met praktijkverklaring' : '');
  if (!isFinal(t.status)) return { intakeDate: t.startDate, exitDate: null, result };
  const exitDate = t.outcome?.kind === 'dropout' ? t.outcome.date : t.endDate;
  return { intakeDate: t.startDate, exitDate, result };
}
