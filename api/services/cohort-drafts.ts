// A cohort launched from an uploaded participant list (web/cohort-launch.ts): the draft between the upload and the
// launch, over db/cohort-drafts.ts.
import * as drafts from '../../db/cohort-drafts';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

export const insertCohortDraft = (deps: Deps, d: Parameters<typeof drafts.insertCohortDraft>[1]) =>
  drafts.insertCohortDraft(deps.db, d);

export const findCohortDraft = (deps: Deps, id: string, office: string) => drafts.findCohortDraft(deps.db, id, office);

export const markLaunchRequested = (deps: Deps, id: string) => drafts.markLaunchRequested(deps.db, id);

/** Once launched, the trajectories hold the participants: the draft keeps no copy. */
export const forgetDraftParticipants = (deps: Deps, id: string) => drafts.forgetDraftParticipants(deps.db, id);
