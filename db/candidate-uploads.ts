// Uploaded lists of candidates waiting for the coordinator (migration 0019): the rows of a gemeente's or UWV's list
// after they passed every check, and the near matches a person must decide on, for the office that uploaded them.
import { sql } from 'kysely';
import type { Db } from './connection';
import type { CandidateUploadTable } from './schema';
import type { Selectable } from 'kysely';

/** A checked row: what the round's service needs per candidate, the BSN as its keyed hash only. */
export interface UploadEntry {
  /** The row in the spreadsheet (the header is row 1). */
  line: number;
  firstName: string;
  lastName: string;
  email?: string;
  dateOfBirth?: string;
  bsnHash?: string;
  sourceId?: string;
}

/** A row that looks like someone in the round, or like an earlier row of the same list: a person decides. */
export interface UploadNearMatch {
  /** The row's index among the entries. */
  index: number;
  other:
    | {
        kind: 'round';
        reference: string;
        firstName: string;
        lastName: string;
        dateOfBirth: string | null;
        email: string | null;
      }
    | { kind: 'row'; index: number };
}

/** Per near match: the same person (the row is skipped) or someone else (the row is added). */
export type NearDecision = 'same' | 'different';

export type CandidateUpload = Selectable<CandidateUploadTable>;

export async function insertCandidateUpload(
  db: Db,
  u: {
    id: string;
    office_id: string;
    round_id: string;
    created_by: string;
    request_id: string;
    entries: UploadEntry[];
    near: UploadNearMatch[];
  },
): Promise<void> {
  await db
    .insertInto('candidate_upload')
    .values({ ...u, entries: JSON.stringify(u.entries), near: JSON.stringify(u.near) })
    .execute();
}

/** The upload, when it is `office`'s and for `roundId`: another office's is not found, exactly like an unknown id. */
export function findCandidateUpload(
  db: Db,
  id: string,
  o: { office: string; roundId: string },
): Promise<CandidateUpload | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return Promise.resolve(undefined);
  return db
    .selectFrom('candidate_upload')
    .selectAll()
    .where('id', '=', id)
    .where('office_id', '=', o.office)
    .where('round_id', '=', o.roundId)
    .executeTakeFirst();
}

/** The decisions of the first "add" are kept; a later one (a double click) changes nothing. The ones in force. */
export async function settleDecisions(db: Db, id: string, decisions: NearDecision[]): Promise<NearDecision[]> {
  await db
    .updateTable('candidate_upload')
    .set({ decisions: JSON.stringify(decisions) })
    .where('id', '=', id)
    .where('decisions', 'is', null)
    .execute();
  const row = await db
    .selectFrom('candidate_upload')
    .select('decisions')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.decisions ?? decisions;
}

/** Once added, the candidates hold the rows: the upload keeps no copy (an erasure must reach all). */
export async function markUploadAdded(db: Db, id: string): Promise<void> {
  await db
    .updateTable('candidate_upload')
    .set({ added_at: new Date(), entries: '[]', near: '[]' })
    .where('id', '=', id)
    .where('added_at', 'is', null)
    .execute();
}

/** Days an upload is kept: long enough to come back to its decisions, short enough not to become a register. */
export const UPLOAD_DAYS = 14;

/** Uploads older than UPLOAD_DAYS forgotten (for retention); how many. */
export async function forgetCandidateUploads(db: Db): Promise<number> {
  const deleted = await db
    .deleteFrom('candidate_upload')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${UPLOAD_DAYS})`)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
