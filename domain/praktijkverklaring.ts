// The praktijkverklaring route (issue 21, part 3): a participant who does not go on to BBL can still leave with
// the ROC's statement of the work processes (werkprocessen) of the qualification it showed at a recognised
// placement. The praktijkopleider records when each was shown; the ROC confirms the statement once the
// trajectory has ended without BBL, and requests it through the Praktijkloket with the export.
import type { TrajectoryStatus } from './statuses';
import type { Outcome, OutcomeKind } from './outcomes';
import type { WorkProcess } from './programme';

/** Outcomes a praktijkverklaring can follow: every ending but doorstroom into BBL (whose diploma route goes on). */
export const WITHOUT_BBL: readonly OutcomeKind[] = ['no_doorstroom', 'dropout', 'job_without_bbl'];

export interface PraktijkverklaringRefusal {
  field: string;
  en: string;
  nl: string;
}

/**
 * Why the ROC cannot confirm a praktijkverklaring now, or undefined when it can. Only once the trajectory has
 * ended (or the participant dropped out) without BBL: before that it is open whether the participant goes on to
 * BBL, and a statement confirmed in the last weeks would have to be withdrawn when the BBL decision still comes.
 */
export function praktijkverklaringRefusal(
  t: { status: TrajectoryStatus; outcome: Outcome | null },
  shown: readonly string[],
): PraktijkverklaringRefusal | undefined {
  if (t.outcome?.kind === 'bbl_doorstroom')
    return {
      field: 'trajectory',
      en: 'the participant went on to BBL: the diploma route replaces a praktijkverklaring',
      nl: 'de deelnemer is doorgestroomd naar de BBL: de diplomaroute komt in plaats van een praktijkverklaring',
    };
  if (!t.outcome || !WITHOUT_BBL.includes(t.outcome.kind))
    return {
      field: 'trajectory',
      en: `the trajectory has not ended yet (it is ${t.status.replace('_', ' ')}); confirm after the end`,
      nl: 'het traject is nog niet afgelopen; bevestig de praktijkverklaring na het einde',
    };
  if (shown.length === 0)
    return {
      field: 'workProcesses',
      en: 'no work process has been shown: the praktijkopleider records them first',
      nl: 'er is nog geen werkproces aangetoond: de praktijkopleider legt ze eerst vast',
    };
  return undefined;
}

/** The codes of a template's work processes that are not in `known`, for a refusal. */
export const unknownCodes = (codes: readonly string[], known: readonly WorkProcess[] | undefined) =>
  codes.filter((c) => !(known ?? []).some((w) => w.code === c));
