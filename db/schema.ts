// The one description of the tables. Migrations create them; `tests/migrations.test.ts` checks this
// interface against the migrated database, so the two cannot drift apart.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ProgrammeTemplate } from '../api/schemas/programme';
import type { OrganisationKind } from '../api/schemas/organisation';
import type { Weekday } from '../workflows/calendar';

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
