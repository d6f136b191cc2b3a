// The one description of the tables. Migrations create them; `tests/migrations.test.ts` checks this
// interface against the migrated database, so the two cannot drift apart.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ProgrammeTemplate } from '../domain/programme';
import type { OrganisationKind } from '../domain/roles';
import type { Weekday } from '../domain/primitives';
import type { Outcome } from '../domain/outcomes';
import type { Checklist, Gap } from '../domain/readiness';
import type { CandidateState, CandidateStatus, Draaiboek, LeaveReason } from '../domain/recruitment';
import type { NearDecision, UploadEntry, UploadNearMatch } from './candidate-uploads';
import type { Instrument } from '../domain/benefit';
import type { ContactRole, KeyRole } from '../domain/roles';
import type { AuditAction } from '../domain/audit';
import type { AdjustmentOutcome } from '../domain/benefit';
import type { EventType } from '../domain/changes';
import type { HoldSubject } from '../domain/legal-hold';
import type { DayKind } from '../domain/primitives';
import type { MemberRole } from '../domain/roles';
import type {
  CheckpointStatus,
  CohortStatus,
  DayOff,
  FollowUpStatus,
  OutboxStatus,
  TrajectoryStatus,
} from '../domain/statuses';

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
  /** The programme office that owns the template; null: shared by the admin, read-only to offices. */
  office_id: string | null;
}

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  region: string | null;
  email: string | null;
  created_at: CreatedAt;
  /** The owning programme office (an office owns itself); null: registered by the admin and shared, read-only. */
  office_id: string | null;
  /** The KvK number, by which SBB's data names a leerbedrijf (0021); null: not known. */
  kvk: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The owner's consent that another office may use the organisation in its covenants. */
export interface OrganisationShareTable {
  organisation_id: string;
  office_id: string;
  granted_by: string;
  granted_at: CreatedAt;
}

export type { CohortStatus };

export interface CohortTable {
  id: string;
  programme_id: string;
  programme_version: number;
  region: string;
  start_date: IsoDate;
  school_id: string;
  status: CohortStatus;
  created_at: CreatedAt;
  /** The covenant under which the cohort runs; its programme office coordinates it. */
  covenant_id: string | null;
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
  status: TrajectoryStatus;
  end_date: IsoDate;
  workflow_id: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date>;
  /** The final outcome (BBL doorstroom, job without BBL, dropout, no doorstroom) once decided. */
  outcome: ColumnType<Outcome | null, string | null | undefined, string | null>;
  /** The workflow's event seq this row reflects; older projections never overwrite newer ones. */
  projected_seq: ColumnType<number, number | undefined, number>;
  /** The contact (role jobcoach) who guides this participant. */
  jobcoach_id: string | null;
  /** The gemeente or UWV that pays the participant's benefit: it may see this participant's outcome. */
  benefit_payer_id: string | null;
  /** HMAC-SHA256 of the BSN under BSN_HMAC_KEY, to match the participant with the benefit payer's records. */
  bsn_hash: string | null;
  /** Set when personal data was anonymised (retention period passed, or erased on request). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Recorded days and attended days as they stand now, kept by the projection (the funders' attendance rate). */
  days_recorded: ColumnType<number, number | undefined, number>;
  days_attended: ColumnType<number, number | undefined, number>;
  /** The workflow seq of the plan in planned_day and planned_checkpoint. */
  plan_seq: ColumnType<number, number | undefined, number>;
}

export interface TrajectoryEventTable {
  trajectory_id: string;
  seq: number;
  type: EventType;
  occurred_on: IsoDate;
  data: Json<Record<string, unknown>>;
  recorded_at: CreatedAt;
}

export interface AttendanceTable {
  trajectory_id: string;
  date: IsoDate;
  kind: DayKind;
  present: boolean;
  reason: string | null;
  correction_reason: string | null;
  recorded_on: IsoDate;
  seq: number;
}

export interface CheckpointReviewTable {
  trajectory_id: string;
  key: string;
  status: CheckpointStatus;
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
  /** Published under a key an office made: applies to that office's trajectories only. Null: to all. */
  office_id: string | null;
}

/**
 * The plan as the workflow last computed it: every placement and school day, planned or not (holiday, closure, pause).
 */
export interface PlannedDayTable {
  trajectory_id: string;
  date: IsoDate;
  kind: DayKind;
  week: number;
  planned: boolean;
  /** Why the day is not planned (migration 0029); `reason` is its name, to show. */
  off: DayOff | null;
  reason: string | null;
}

export interface PlannedCheckpointTable {
  trajectory_id: string;
  key: string;
  name: string;
  week: number;
  week_start: IsoDate;
  week_end: IsoDate;
}

/** "Still employed, still enrolled?" N months after the BBL start (or the end, for a job without BBL). */
export interface FollowUpTable {
  trajectory_id: string;
  months: number;
  due_on: IsoDate;
  /** After this day an unanswered question counts as "no answer". */
  closes_on: IsoDate;
  employer_id: string;
  /** Null when no enrolment is asked (a job without BBL). */
  school_id: string | null;
  employed: boolean | null;
  employed_on: IsoDate | null;
  enrolled: boolean | null;
  enrolled_on: IsoDate | null;
  status: FollowUpStatus;
  seq: number;
}

export interface CovenantTable {
  id: string;
  name: string;
  region: string;
  programme_office_id: string;
  created_at: CreatedAt;
}

export type { MemberRole };
export interface CovenantMemberTable {
  covenant_id: string;
  organisation_id: string;
  role: MemberRole;
}

/** Defined with the key roles (domain/roles.ts); funder_analyst: a gemeente's or UWV's analyst (migration 0014). */
export type { ContactRole };
export interface ContactTable {
  id: string;
  organisation_id: string;
  role: ContactRole;
  name: string;
  email: string;
  created_at: CreatedAt;
  /**
   * The programme office that made the contact: it is mailed about that office's participants only. Null: the admin's,
   * on a shared organisation.
   */
  office_id: string | null;
  /** When the person was invited to sign in to the web pages; null: not (yet) invited. */
  invited_at: Date | null;
  /** The reminders the person switched off (db/mail-preferences.ts); null: none, the programme's defaults. */
  mail_preferences: ColumnType<MailPreferences | null, string | null | undefined, string | null>;
}

/** What a person chose on "Mijn account": the informational reminder kinds they do not want. */
export interface MailPreferences {
  off: ('week_overview' | 'risk_raised')[];
  /** Each item of the morning in a mail of its own instead of the one digest (absent: the digest). */
  perItem?: boolean;
}

export type { KeyRole };
export interface ApiKeyTable {
  id: string;
  organisation_id: string;
  role: KeyRole;
  contact_id: string | null;
  label: string;
  secret_hash: string;
  created_by: string;
  created_at: CreatedAt;
  revoked_at: Date | null;
  last_used_at: Date | null;
  /** Set when a coordinator made the key: it sees only that programme office's cohorts. Null: made by the admin. */
  office_id: string | null;
}

export type { AuditAction };
export interface AuditEventTable {
  id: Generated<number>;
  at: CreatedAt;
  actor: string;
  organisation_id: string | null;
  role: string;
  action: AuditAction;
  resource: string;
  resource_id: string;
  trajectory_id: string | null;
  route: string;
  request_id: string | null;
  /** The office whose object the request touched or tried to touch (a refused attempt shows in its log). */
  office_id: ColumnType<string | null, string | null | undefined, never>;
}

export type { OutboxStatus };
export interface OutboxTable {
  id: string;
  key: string;
  recipient: string;
  recipient_name: string;
  organisation_id: string;
  kind: string;
  day: IsoDate;
  subject: string;
  text: string;
  html: string;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  claimed_at: Date | null;
}

export interface OutboxItemTable {
  outbox_id: string;
  trajectory_id: string;
  kind: string;
  subject: string;
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
  organisation_share: OrganisationShareTable;
  cohort: CohortTable;
  trajectory: TrajectoryTable;
  trajectory_event: TrajectoryEventTable;
  attendance: AttendanceTable;
  checkpoint_review: CheckpointReviewTable;
  placement: PlacementTable;
  planned_day: PlannedDayTable;
  planned_checkpoint: PlannedCheckpointTable;
  follow_up: FollowUpTable;
  school_closure: SchoolClosureTable;
  covenant: CovenantTable;
  covenant_member: CovenantMemberTable;
  contact: ContactTable;
  api_key: ApiKeyTable;
  audit_event: AuditEventTable;
  outbox: OutboxTable;
  outbox_item: OutboxItemTable;
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
export type Covenant = Selectable<CovenantTable>;
export type CovenantMember = Selectable<CovenantMemberTable>;
export type Contact = Selectable<ContactTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type Outbox = Selectable<OutboxTable>;

// --- calendar subscription links (0010) -------------------------------------------------------------------
// Kept in a block of its own; it joins the Database interface above by declaration merging.

export type CalendarFeedKind = 'trajectory' | 'organisation';
export interface CalendarLinkTable {
  id: string;
  /** What the link is a feed of: one trajectory, or an employer's or ROC's schedule (`feed_id`). */
  feed: CalendarFeedKind;
  feed_id: string;
  /** The API key that made the link (its id), or 'admin'. */
  created_by: string;
  /** The maker's organisation and programme office (null for the admin, and the office for admin-made keys). */
  organisation_id: string | null;
  office_id: string | null;
  /** A keyed hash (HMAC-SHA256) of the link's secret; the link itself is never stored. */
  token_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: ColumnType<Date, Date, never>;
  revoked_at: Date | null;
}
export interface Database {
  calendar_link: CalendarLinkTable;
}
export type CalendarLink = Selectable<CalendarLinkTable>;

/** A signed-in person's session on the web pages (web/session.ts); `id` is a hash of the cookie's secret. */
export interface WebSessionTable {
  id: string;
  contact_id: string;
  /** Opened by a task link: that task only. Null: everything the person may do. */
  task: string | null;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
  ended_at: Date | null;
}
/** A sign-in link that was used (only its hash): it works once. */
export interface UsedLinkTable {
  token_hash: string;
  used_at: CreatedAt;
}
export interface Database {
  web_session: WebSessionTable;
  used_link: UsedLinkTable;
}
export type WebSession = Selectable<WebSessionTable>;

/** A recruitment round of an office (issue 20): candidates go through its draaiboek towards a cohort. */
export interface RecruitmentRoundTable {
  id: string;
  office_id: string;
  programme_id: string;
  region: string;
  name: string;
  draaiboek: Json<Draaiboek>;
  created_at: CreatedAt;
}
/** A candidate: who it is, and the projection of its durable process (workflows/candidate.ts), guarded by seq. */
export interface CandidateTable {
  id: string;
  round_id: string;
  reference: string;
  first_name: string;
  last_name: string;
  email: string | null;
  date_of_birth: IsoDate | null;
  bsn_hash: string | null;
  source_id: string | null;
  status: ColumnType<CandidateStatus, CandidateStatus | undefined, CandidateStatus>;
  step: string;
  due_on: IsoDate;
  overdue: ColumnType<boolean, boolean | undefined, boolean>;
  employer_id: string | null;
  /** The employer proposed for the trial day (projected from the process, migration 0020). */
  proposed_employer_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The jobcoach contact the office assigned (migration 0020). */
  jobcoach_id: ColumnType<string | null, string | null | undefined, string | null>;
  left_reason: LeaveReason | null;
  left_on: IsoDate | null;
  state: Json<CandidateState>;
  seq: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** The cohort a launch claimed the candidate for (before the cohort exists), and the trajectory it became. */
  launch_cohort_id: ColumnType<string | null, string | null | undefined, string | null>;
  trajectory_id: ColumnType<string | null, string | null | undefined, string | null>;
  anonymised_at: ColumnType<Date | null, never, Date | null>;
}
export interface CandidateEventTable {
  candidate_id: string;
  seq: number;
  type: string;
  occurred_on: IsoDate;
  data: Json<Record<string, unknown>>;
}
/** An uploaded list of candidates waiting for the coordinator's decisions on its near matches (0019). */
export interface CandidateUploadTable {
  id: string;
  office_id: string;
  round_id: string;
  created_by: string;
  request_id: string;
  entries: Json<UploadEntry[]>;
  near: Json<UploadNearMatch[]>;
  decisions: ColumnType<NearDecision[] | null, never, string>;
  added_at: ColumnType<Date | null, never, Date>;
  created_at: CreatedAt;
}
export interface Database {
  recruitment_round: RecruitmentRoundTable;
  candidate: CandidateTable;
  candidate_event: CandidateEventTable;
  outbox_candidate_item: OutboxCandidateItemTable;
  candidate_upload: CandidateUploadTable;
}
/** A candidate's reminder carried by a mail (migration 0022): counted for escalations like outbox_item. */
export interface OutboxCandidateItemTable {
  outbox_id: string;
  candidate_id: string;
  kind: string;
  subject: string;
}
export type RecruitmentRound = Selectable<RecruitmentRoundTable>;
export type Candidate = Selectable<CandidateTable>;

/** Employer readiness per office, employer and BBL qualification (0021, domain/readiness.ts). */
export interface EmployerReadinessTable {
  office_id: string;
  employer_id: string;
  crebo: string;
  recognition_number: string | null;
  recognised_on: IsoDate | null;
  recognition_checked_on: IsoDate | null;
  /** A person's name or actor, or 'SBB-import' for a recognition taken from SBB's data. */
  recognition_checked_by: string | null;
  mentor_contact_id: string | null;
  mentor_hours_per_week: number | null;
  /** When the employer confirmed its praktijkopleider; null: not (yet). */
  mentor_confirmed_on: IsoDate | null;
  checklist: Json<Checklist>;
  places: number;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
/** A placement started although the employer was not ready: the coordinator's reason and name. */
export interface ReadinessOverrideTable {
  id: Generated<number>;
  office_id: string;
  employer_id: string;
  crebo: string;
  trajectory_id: string;
  reason: string;
  missing: Json<Gap[]>;
  actor: string;
  at: CreatedAt;
}
export interface Database {
  employer_readiness: EmployerReadinessTable;
  readiness_override: ReadinessOverrideTable;
}
export type EmployerReadiness = Selectable<EmployerReadinessTable>;
/** A participant's benefit instrument (migration 0023): domain/benefit.ts holds the rules it is judged by. */
export interface BenefitInstrumentTable {
  trajectory_id: string;
  payer_id: string;
  instrument: Instrument;
  rule_set: string;
  start_date: IsoDate;
  decision_date: IsoDate;
  /** The payer confirmed, at the BBL contract start, that the benefit was adjusted or ended. */
  adjustment_outcome: AdjustmentOutcome | null;
  adjustment_confirmed_on: IsoDate | null;
  adjustment_confirmed_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
/** A payer's extension decision, once per request (its Idempotency-Key or update id). */
export interface BenefitExtensionTable {
  request_id: string;
  trajectory_id: string;
  until: IsoDate;
  decided_on: IsoDate;
  reference: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}
export interface Database {
  benefit_instrument: BenefitInstrumentTable;
  benefit_extension: BenefitExtensionTable;
}
export type BenefitInstrumentRow = Selectable<BenefitInstrumentTable>;
/** Which work processes of a programme's qualification an employer's placement can offer (issue 21). */
export interface PlacementWorkProcessTable {
  employer_id: string;
  programme_id: string;
  code: string;
  set_by: string;
  set_at: CreatedAt;
}
/** When the praktijkopleider saw the participant show a work process, with a short evidence note. */
export interface WorkProcessEvidenceTable {
  trajectory_id: string;
  code: string;
  shown_on: IsoDate;
  note: string;
  /** The praktijkopleider's name: the assessor the Praktijkloket asks for. */
  assessor: string;
  employer_id: string;
  recorded_by: string;
  /** When it was last recorded: a later recording of the same work process replaces the earlier one. */
  recorded_at: ColumnType<Date, Date | undefined, Date>;
}
/** The ROC's confirmed praktijkverklaring: the work processes it states, kept beside the trajectory's outcome. */
export interface PraktijkverklaringTable {
  trajectory_id: string;
  school_id: string;
  codes: Json<string[]>;
  confirmed_on: IsoDate;
  confirmed_by: string;
  created_at: CreatedAt;
}
export interface Database {
  placement_work_process: PlacementWorkProcessTable;
  work_process_evidence: WorkProcessEvidenceTable;
  praktijkverklaring: PraktijkverklaringTable;
}
export type WorkProcessEvidence = Selectable<WorkProcessEvidenceTable>;
/**
 * The praktijkovereenkomst of a participant entering BBL (migration 0025): each step's date and who recorded it,
 * the employer that signed and the one the last bpv-blad is for. domain/praktijkovereenkomst.ts judges it.
 */
export interface PraktijkovereenkomstTable {
  trajectory_id: string;
  drawn_up_on: IsoDate | null;
  drawn_up_by: string | null;
  participant_on: IsoDate | null;
  participant_by: string | null;
  employer_on: IsoDate | null;
  employer_by: string | null;
  employer_id: string | null;
  school_on: IsoDate | null;
  school_by: string | null;
  bpv_blad_on: IsoDate | null;
  bpv_blad_by: string | null;
  bpv_blad_employer_id: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export interface Database {
  praktijkovereenkomst: PraktijkovereenkomstTable;
}
/** A legal hold on a trajectory or candidate (0026): anonymisation waits until `until`, unless lifted earlier. */
export interface LegalHoldTable {
  id: string;
  request_id: string;
  subject: HoldSubject;
  subject_id: string;
  office_id: string | null;
  reason: string;
  until: IsoDate;
  placed_by: string;
  placed_at: CreatedAt;
  lifted_on: IsoDate | null;
  lifted_by: string | null;
  lift_reason: string | null;
}
/** Staff hours an organisation spent on an ESF+ project (a covenant) in a month (YYYY-MM): recorded nowhere else. */
export interface EsfStaffHoursTable {
  covenant_id: string;
  organisation_id: string;
  month: string;
  hours: number;
  note: string | null;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | undefined, Date>;
}
export interface Database {
  legal_hold: LegalHoldTable;
  esf_staff_hours: EsfStaffHoursTable;
}
export type LegalHold = Selectable<LegalHoldTable>;
/**
 * A deadline a subject's deadlines workflow reached (migration 0027), once per trajectory, kind and day; the
 * morning digest mails it to the organisation's contacts in `role` (workflows/deadlines.ts, activities/deadlines.ts).
 */
export interface DeadlineReachedTable {
  trajectory_id: string;
  kind: string;
  on: IsoDate;
  organisation_id: string;
  role: ContactRole;
  /** What the mail says of it (dates, the instrument's name): never personal data, which the digest joins in. */
  data: Json<Record<string, unknown>>;
  recorded_at: CreatedAt;
}
export interface Database {
  deadline_reached: DeadlineReachedTable;
}
