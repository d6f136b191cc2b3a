// The one description of the tables. Migrations create them; `tests/migrations.test.ts` checks this
// interface against the migrated database, so the two cannot drift apart.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ProgrammeTemplate } from '../api/schemas/programme';
import type { OrganisationKind } from '../api/schemas/organisation';
import type { Weekday } from '../workflows/calendar';
import type { Outcome } from '../workflows/state';

/** A DATE column: read back as 'YYYY-MM-DD' (type parsers in connection.ts), written as the same string. */
type IsoDate = string;
type Json<T> = ColumnType<T, string, string>;
type CreatedAt = ColumnType<Date, never, never>;

export interface ProgrammeTable {
  id: string;
  version: number;
  name: string;
  template: Json<ProgrammeTemplate>;
  created_at: CreatedAt;
}

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  region: string | null;
  email: string | null;
  created_at: CreatedAt;
}

export type CohortStatus = 'launching' | 'launched';

export interface CohortTable {
  id: string;
  programme_id: string;
  programme_version: number;
  region: string;
  start_date: IsoDate;
  school_id: string;
  status: CohortStatus;
  created_at: CreatedAt;
}

export interface TrajectoryTable {
  id: string;
  cohort_id: string;
  reference: string;
  name: string;
  email: string;
  employer_id: string;
  placement_weekdays: Json<Weekday[]>;
  school_weekday: number;
  jobcoach_name: string;
  jobcoach_email: string;
  status: string;
  end_date: IsoDate;
  workflow_id: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date>;
  /** The final outcome (BBL doorstroom, job without BBL, dropout, no doorstroom) once decided. */
  outcome: ColumnType<Outcome | null, string | null | undefined, string | null>;
  /** The workflow's event seq this row reflects; older projections never overwrite newer ones. */
  projected_seq: ColumnType<number, number | undefined, number>;
}

export interface TrajectoryEventTable {
  trajectory_id: string;
  seq: number;
  type: string;
  occurred_on: IsoDate;
  data: Json<Record<string, unknown>>;
  recorded_at: CreatedAt;
}

export interface AttendanceTable {
  trajectory_id: string;
  date: IsoDate;
  kind: 'placement' | 'school';
  present: boolean;
  reason: string | null;
  correction_reason: string | null;
  recorded_on: IsoDate;
  seq: number;
}

export interface CheckpointReviewTable {
  trajectory_id: string;
  key: string;
  status: 'on_track' | 'concerns' | 'at_risk';
  note: string;
  trainer_confirmed: boolean;
  recorded_on: IsoDate;
  seq: number;
}

export interface PlacementTable {
  trajectory_id: string;
  from_date: IsoDate;
  employer_id: string;
}

export interface SchoolClosureTable {
  id: string;
  school_id: string;
  from_date: IsoDate;
  to_date: IsoDate;
  name: string;
  created_at: CreatedAt;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  resource_id: string;
  status_code: number | null;
  response: string | null;
  created_at: CreatedAt;
}

export interface DevMailboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  sent_at: CreatedAt;
}

export interface Database {
  programme: ProgrammeTable;
  organisation: OrganisationTable;
  cohort: CohortTable;
  trajectory: TrajectoryTable;
  trajectory_event: TrajectoryEventTable;
  attendance: AttendanceTable;
  checkpoint_review: CheckpointReviewTable;
  placement: PlacementTable;
  school_closure: SchoolClosureTable;
  idempotency_key: IdempotencyKeyTable;
  dev_mailbox: DevMailboxTable;
}

export type Programme = Selectable<ProgrammeTable>;
export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type Cohort = Selectable<CohortTable>;
export type NewCohort = Insertable<CohortTable>;
export type Trajectory = Selectable<TrajectoryTable>;
export type NewTrajectory = Insertable<TrajectoryTable>;
export type IdempotencyKey = Selectable<IdempotencyKeyTable>;
export type TrajectoryEventRow = Selectable<TrajectoryEventTable>;
export type SchoolClosure = Selectable<SchoolClosureTable>;
