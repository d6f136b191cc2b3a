// Cohort launches waiting for their confirmation (migration 0017): the rows of an uploaded spreadsheet after they
// passed every check, for the office that uploaded them. The table is declared here rather than in schema.ts's
// Database, so only this module reaches it.
import { sql, type ColumnType, type Insertable, type Selectable } from 'kysely';
import { anyOf, type Db } from './connection';
import type { Weekday } from '../domain/primitives';
import { RUNNING_STATUSES } from '../domain/statuses';

/** A checked row: what launchCohort needs per participant, the BSN as its keyed hash only. */
export interface DraftParticipant {
  /** The row in the spreadsheet (the header is row 1). */
  line: number;
  reference: string;
  name: string;
  email: string;
  employerId: string;
  placementWeekdays: Weekday[];
  jobcoachId: string;
  benefitPayerId: string;
  bsnHash?: string;
}

export interface CohortDraftTable {
  id: string;
  office_id: string;
  created_by: string;
  name: string;
  programme_id: string;
  programme_version: number;
  covenant_id: string;
  school_id: string;
  school_weekday: Weekday;
  start_date: string;
  participants: ColumnType<DraftParticipant[], string, string>;
  cohort_id: string;
  created_at: ColumnType<Date, never, never>;
  launch_requested_at: ColumnType<Date | null, never, Date>;
}
export type CohortDraft = Selectable<CohortDraftTable>;

const drafts = (db: Db) => db.withTables<{ cohort_draft: CohortDraftTable }>();

export async function insertCohortDraft(
  db: Db,
  d: Omit<Insertable<CohortDraftTable>, 'participants'> & { participants: DraftParticipant[] },
): Promise<void> {
  await drafts(db)
    .insertInto('cohort_draft')
    .values({ ...d, participants: JSON.stringify(d.participants) })
    .execute();
}

/** The draft, when it is `office`'s: another office's draft is not found, exactly like an unknown id. */
export function findCohortDraft(db: Db, id: string, office: string): Promise<CohortDraft | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return Promise.resolve(undefined);
  return drafts(db)
    .selectFrom('cohort_draft')
    .selectAll()
    .where('id', '=', id)
    .where('office_id', '=', office)
    .executeTakeFirst();
}

/** Notes that the launch was asked for (the first time only); the draft is no longer changed after it. */
export async function markLaunchRequested(db: Db, id: string): Promise<void> {
  await drafts(db)
    .updateTable('cohort_draft')
    .set({ launch_requested_at: new Date() })
    .where('id', '=', id)
    .where('launch_requested_at', 'is', null)
    .execute();
}

/**
 * Participants still running (planned to finished) in `programmeId` in cohorts of `office`'s covenants whose BSN
 * hash or e-mail address (lowercased) is among those given.
 */
export async function runningParticipants(
  db: Db,
  q: { office: string; programmeId: string; bsnHashes: string[]; emails: string[] },
): Promise<{ bsn_hash: string | null; email: string; reference: string }[]> {
  if (!q.bsnHashes.length && !q.emails.length) return [];
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.bsn_hash', 't.email', 't.reference'])
    .where('v.programme_office_id', '=', q.office)
    .where('c.programme_id', '=', q.programmeId)
    .where('t.status', 'in', [...RUNNING_STATUSES])
    .where((eb) =>
      eb.or([
        eb('t.bsn_hash', '=', anyOf(q.bsnHashes.length ? q.bsnHashes : [''])),
        eb(eb.fn('lower', ['t.email']), '=', anyOf(q.emails.length ? q.emails : [''])),
      ]),
    )
    .execute();
}

/** Once launched, the trajectories hold the participants: the draft keeps no copy (an erasure must reach all). */
export async function forgetDraftParticipants(db: Db, id: string): Promise<void> {
  await drafts(db).updateTable('cohort_draft').set({ participants: '[]' }).where('id', '=', id).execute();
}

/** Days a draft is kept: long enough to come back to a plan, short enough not to become a second register. */
export const DRAFT_DAYS = 14;

/** Drafts older than DRAFT_DAYS, launched or not, forgotten (run by retention); how many. */
export async function forgetCohortDrafts(db: Db): Promise<number> {
  const deleted = await drafts(db)
    .deleteFrom('cohort_draft')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${DRAFT_DAYS})`)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
