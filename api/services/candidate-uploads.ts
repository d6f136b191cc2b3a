// A round's uploaded candidate list waiting for the coordinator's decisions on near matches (web/candidate-upload.ts),
// over db/candidate-uploads.ts.
import * as uploads from '../../db/candidate-uploads';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

export const insertCandidateUpload = (deps: Deps, u: Parameters<typeof uploads.insertCandidateUpload>[1]) =>
  uploads.insertCandidateUpload(deps.db, u);

/** The upload, when it is the office's and for the round: another office's is not found, like an unknown id. */
export const findCandidateUpload = (deps: Deps, id: string, o: { office: string; roundId: string }) =>
  uploads.findCandidateUpload(deps.db, id, o);

export const settleDecisions = (deps: Deps, id: string, decisions: uploads.NearDecision[]) =>
  uploads.settleDecisions(deps.db, id, decisions);

export const markUploadAdded = (deps: Deps, id: string) => uploads.markUploadAdded(deps.db, id);
