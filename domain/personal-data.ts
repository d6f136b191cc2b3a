// The classification of every piece of text a person types about a participant: who may read it, and that
// anonymisation erases it. Categories (an absence reason, a dropout reason) are not typed text and stay for the
// figures. The tables are exhaustive by type: a new event type or record does not compile until its text is
// classified here, so no new note leaks to an employer or survives erasure by being forgotten.
import type { EventType } from './changes';
import type { Role } from './roles';

/**
 * note: what partners write about a participant (a checkpoint note, a correction, a pause's reason);
 * health: health data under the AVG (article 9), a sickness reason.
 */
export type Sensitivity = 'note' | 'health';

/** Who reads each kind of text. Everything typed is erased on anonymisation, whatever its kind. */
export const READERS: Record<Sensitivity, readonly Role[]> = {
  // The people who guide the participant (and the admin, who manages the installation).
  note: ['admin', 'coordinator', 'jobcoach'],
  // Health data: only those who need it for the guidance; not the admin, never an employer, a mail or a figure.
  health: ['coordinator', 'jobcoach'],
};

/** Whether `reader` may read text of this kind; a null reader reads none (the participant is anonymised). */
export const mayRead = (reader: Role | null, sensitivity: Sensitivity) =>
  reader !== null && READERS[sensitivity].includes(reader);

/** The typed text in each event's data, by field. */
export const EVENT_TEXT: Record<EventType, Readonly<Record<string, Sensitivity>>> = {
  started: {},
  attendance_recorded: { correctionReason: 'note' },
  attendance_corrected: { correctionReason: 'note' },
  checkpoint_recorded: { note: 'note' },
  bbl_confirmed: {},
  closures_applied: {},
  awaiting_bbl: {},
  ended: {},
  paused: { reason: 'note' },
  resumed: {},
  extended: { reason: 'note' },
  employer_changed: {},
  dropped_out: { text: 'note' },
  dropout_reverted: { reason: 'note' },
  sick_leave_started: { reason: 'health' },
  recovered: {},
};

/** The typed text in the records beside the events (and in the workflow's live state). */
export const RECORD_TEXT = {
  attendance: { correctionReason: 'note' },
  checkpoint: { note: 'note' },
  pause: { reason: 'note' },
  extension: { reason: 'note' },
  sickLeave: { reason: 'health' },
} as const satisfies Record<string, Readonly<Record<string, Sensitivity>>>;

/** Fields of an event type's data that hold typed text (an unknown type: none). */
export const eventTextFields = (type: string): string[] => Object.keys(EVENT_TEXT[type as EventType] ?? {});

/** An event's data as `role` may see it: typed text it may not read is left out. */
export function eventDataFor(role: Role | null, type: string, data: Record<string, unknown>): Record<string, unknown> {
  const text: Readonly<Record<string, Sensitivity>> = EVENT_TEXT[type as EventType] ?? {};
  return Object.fromEntries(Object.entries(data).filter(([k]) => !(k in text) || mayRead(role, text[k]!)));
}

/** A record as `role` may see it: text it may not read is blanked (the record keeps its shape). */
export function recordFor<K extends keyof typeof RECORD_TEXT, T extends object>(
  role: Role | null,
  kind: K,
  record: T,
): T {
  const text: Readonly<Record<string, Sensitivity>> = RECORD_TEXT[kind];
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, k in text && !mayRead(role, text[k]!) ? '' : v]),
  ) as T;
}

/** The typed text in each candidate event's data (workflows/candidate.ts), by field. */
export const CANDIDATE_EVENT_TEXT = {
  entered: {},
  step_recorded: { note: 'note' },
  left: { note: 'note' },
  proposed: { note: 'note' },
  overdue: {},
} as const satisfies Record<string, Readonly<Record<string, Sensitivity>>>;

/**
 * How a column's content goes when its subject is anonymised:
 * blank: typed text becomes '' (an absent one stays null); null: the value goes;
 * placeholder: replaced by a value that names no one (the column may not be empty: a name, a reference);
 * typed-text: a jsonb document loses the typed text inside it (per the tables above), its facts stay;
 * row: the rows holding a copy of the subject are deleted (see db/ for which).
 */
export type Erasure = 'blank' | 'null' | 'placeholder' | 'typed-text' | 'row';

/** Whose anonymisation erases a column: a participant's (trajectory), a candidate's, or either (rows about both). */
export type Subject = 'trajectory' | 'candidate';

/**
 * One personal column: whose data it is, what kind, who reads it through the application (an empty list: no one,
 * it is matched or sent, never shown), and when it goes: with the participant (`trajectory`), with the candidate
 * (`candidate`), with whichever of the two the row is about (`either`), after a time by the retention job
 * (`after`), or `kept`, with the reason.
 */
export interface PersonalColumn {
  of: 'participant' | 'candidate' | 'staff';
  kind: Sensitivity | 'identity' | 'mail';
  readers: readonly Role[];
  erased: { on: Subject | 'either'; how: Erasure } | { after: string } | { kept: string };
}

// Shorthands for the map below.
const GUIDES = READERS.note;
const OFFICE: readonly Role[] = ['admin', 'coordinator'];
// (Generic in `how`, so db/ can require an expression for each placeholder and typed-text column by name.)
const onTrajectory = <H extends Erasure>(kind: PersonalColumn['kind'], how: H, readers: readonly Role[] = GUIDES) =>
  ({ of: 'participant', kind, readers, erased: { on: 'trajectory', how } }) as const;
const onEither = <H extends Erasure>(kind: PersonalColumn['kind'], how: H, readers: readonly Role[]) =>
  ({ of: 'participant', kind, readers, erased: { on: 'either', how } }) as const;
const onCandidate = <H extends Erasure>(kind: PersonalColumn['kind'], how: H, readers: readonly Role[] = OFFICE) =>
  ({ of: 'candidate', kind, readers, erased: { on: 'candidate', how } }) as const;
/** Who did something: the identity of a partner's or the office's staff member, kept for accountability. */
const staff = (readers: readonly Role[] = OFFICE) =>
  ({
    of: 'staff',
    kind: 'identity',
    readers,
    erased: { kept: 'who did what is the accountability of the programme; staff are not anonymised' },
  }) as const;

/**
 * Every column of the database (public schema) that holds personal data, by table, with its class. A column of
 * type text, varchar or json(b) is either here or in NOT_PERSONAL (tests/personal-data.test.ts fails otherwise),
 * and anonymisation (db/privacy.ts, db/candidate-privacy.ts) erases exactly the columns here that say `on`.
 */
export const PERSONAL_COLUMNS = {
  trajectory: {
    name: onTrajectory('identity', 'placeholder', ['admin', 'coordinator', 'employer', 'school', 'jobcoach']),
    email: onTrajectory('identity', 'placeholder', OFFICE),
    reference: onTrajectory('identity', 'placeholder', ['admin', 'coordinator', 'employer', 'school', 'jobcoach']),
    bsn_hash: onTrajectory('identity', 'null', []),
    // The outcome's kind and a dropout's reason category stay for the figures; "what was missing, in words" goes.
    outcome: onTrajectory('note', 'typed-text'),
  },
  trajectory_event: { data: onTrajectory('note', 'typed-text') },
  attendance: { correction_reason: onTrajectory('note', 'blank') },
  checkpoint_review: { note: onTrajectory('note', 'blank') },
  // The praktijkopleider's evidence notes; which work process was shown when stays (the statement's facts).
  work_process_evidence: {
    note: onTrajectory('note', 'blank', ['admin', 'coordinator', 'employer', 'jobcoach']),
    // The praktijkopleider's name, as the statement (praktijkverklaring) shows it.
    assessor: staff(['admin', 'coordinator', 'employer', 'school', 'jobcoach']),
    recorded_by: staff(),
  },
  // Why the coordinator let a placement start on an employer not (yet) ready: typed about this participant's case.
  readiness_override: { reason: onTrajectory('note', 'blank', OFFICE), actor: staff() },
  // The benefit payer's decision number names the participant's benefit file.
  benefit_extension: { reference: onTrajectory('identity', 'null', OFFICE), recorded_by: staff() },
  // A hold's reasons are typed about the subject's case (a claim, an inquiry); the hold itself (who, until) stays.
  legal_hold: {
    reason: onEither('note', 'blank', OFFICE),
    lift_reason: onEither('note', 'blank', OFFICE),
    placed_by: staff(),
    lifted_by: staff(),
  },
  // Mails name the participant or candidate; who got which kind of mail when stays.
  outbox: {
    text: onEither('mail', 'blank', []),
    html: onEither('mail', 'blank', []),
    // Contacts of the partners (and the office), kept as long as the mail's record.
    recipient: staff([]),
    recipient_name: staff([]),
    // The SMTP server's reply may quote the recipient's address.
    last_error: staff(['admin']),
  },
  // Stored responses to repeated requests may name people: kept for replay only.
  idempotency_key: {
    response: { of: 'participant', kind: 'identity', readers: [], erased: { after: 'IDEMPOTENCY_DAYS' } },
  },
  // The development mailbox (MAIL_TRANSPORT=mailbox) holds copies of mails; never used in production.
  dev_mailbox: {
    recipient: { of: 'staff', kind: 'mail', readers: ['admin'], erased: { kept: 'development only' } },
    text: { of: 'participant', kind: 'mail', readers: ['admin'], erased: { kept: 'development only' } },
    html: { of: 'participant', kind: 'mail', readers: ['admin'], erased: { kept: 'development only' } },
  },
  // A draft's participants, until the launch copies them into trajectories and empties the draft.
  cohort_draft: {
    participants: { of: 'participant', kind: 'identity', readers: OFFICE, erased: { after: 'the launch' } },
    created_by: staff(),
  },
  candidate: {
    first_name: onCandidate('identity', 'placeholder', ['admin', 'coordinator', 'employer']),
    last_name: onCandidate('identity', 'blank', ['admin', 'coordinator', 'employer']),
    email: onCandidate('identity', 'null'),
    // A date, not text: classified all the same (the column test lists text columns only).
    date_of_birth: onCandidate('identity', 'null'),
    bsn_hash: onCandidate('identity', 'null', []),
    reference: onCandidate('identity', 'placeholder'),
    // Step notes and the trial-day proposal's note; steps, outcomes and dates stay for the funnel.
    state: onCandidate('note', 'typed-text'),
  },
  candidate_event: { data: onCandidate('note', 'typed-text') },
  // A list waiting for its near-match decisions holds copies of candidates (name, date of birth, e-mail).
  candidate_upload: {
    entries: onCandidate('identity', 'row'),
    near: onCandidate('identity', 'row'),
    decisions: onCandidate('identity', 'row'),
    created_by: staff(),
  },
  // Partners' staff: their names and addresses are personal data, kept while they are a contact of the programme.
  contact: {
    name: staff(['admin', 'coordinator', 'employer', 'school', 'jobcoach']),
    email: staff(),
  },
  // An organisation's general address; it may be a person's, so it is read as staff data.
  organisation: { email: staff() },
  // Typed by the office about its own staff's hours for ESF+: about no participant.
  esf_staff_hours: {
    note: { of: 'staff', kind: 'note', readers: ['admin', 'coordinator', 'funder'], erased: { kept: 'ESF+ evidence' } },
    recorded_by: staff(),
  },
  audit_event: { actor: staff(['admin']) },
  api_key: { created_by: staff(['admin']) },
  calendar_link: { created_by: staff() },
  benefit_instrument: { adjustment_confirmed_by: staff() },
  employer_readiness: { recognition_checked_by: staff(), updated_by: staff() },
  organisation_share: { granted_by: staff() },
  placement_work_process: { set_by: staff() },
  praktijkovereenkomst: {
    bpv_blad_by: staff(),
    drawn_up_by: staff(),
    employer_by: staff(),
    participant_by: staff(),
    school_by: staff(),
  },
  praktijkverklaring: { confirmed_by: staff() },
} as const satisfies Record<string, Readonly<Record<string, PersonalColumn>>>;

/**
 * The text, varchar and json(b) columns that hold no personal data, deliberately: ids (pseudonymous keys; the
 * person is in the columns above), codes, statuses, kinds and categories from fixed lists, hashes of secrets,
 * configuration, generated keys and facts (dates, counts) without typed text.
 */
export const NOT_PERSONAL: Readonly<Record<string, readonly string[]>> = {
  api_key: ['contact_id', 'id', 'label', 'office_id', 'organisation_id', 'role', 'secret_hash'],
  // The absence reason is a category; the correction reason is typed (above).
  attendance: ['kind', 'reason', 'trajectory_id'],
  audit_event: [
    'action',
    'office_id',
    'organisation_id',
    'request_id',
    'resource',
    'resource_id',
    'role',
    'route',
    'trajectory_id',
  ],
  benefit_extension: ['request_id', 'trajectory_id'],
  benefit_instrument: ['adjustment_outcome', 'instrument', 'payer_id', 'rule_set', 'trajectory_id'],
  calendar_link: ['feed', 'feed_id', 'id', 'office_id', 'organisation_id', 'token_hash'],
  // The reason for leaving is from the fixed list (LEAVE_REASONS): the funnel counts it.
  candidate: [
    'employer_id',
    'id',
    'jobcoach_id',
    'launch_cohort_id',
    'left_reason',
    'proposed_employer_id',
    'round_id',
    'source_id',
    'status',
    'step',
    'trajectory_id',
  ],
  candidate_event: ['candidate_id', 'type'],
  candidate_upload: ['office_id', 'request_id', 'round_id'],
  checkpoint_review: ['key', 'status', 'trajectory_id'],
  cohort: ['covenant_id', 'id', 'programme_id', 'region', 'school_id', 'status'],
  cohort_draft: ['covenant_id', 'name', 'office_id', 'programme_id', 'school_id', 'school_weekday'],
  contact: ['id', 'mail_preferences', 'office_id', 'organisation_id', 'role'],
  covenant: ['id', 'name', 'programme_office_id', 'region'],
  covenant_member: ['covenant_id', 'organisation_id', 'role'],
  // A deadline's facts: dates, weeks per employer, ids; no typed text.
  deadline_reached: ['data', 'kind', 'organisation_id', 'role', 'trajectory_id'],
  // Generated from the kind and counts of the items (activities/mail-texts.ts), naming no one.
  dev_mailbox: ['subject'],
  employer_readiness: ['checklist', 'crebo', 'employer_id', 'mentor_contact_id', 'office_id', 'recognition_number'],
  esf_staff_hours: ['covenant_id', 'month', 'organisation_id'],
  follow_up: ['employer_id', 'school_id', 'status', 'trajectory_id'],
  idempotency_key: ['key', 'request_hash', 'resource_id', 'scope'],
  kysely_migration: ['name', 'timestamp'],
  kysely_migration_lock: ['id'],
  legal_hold: ['id', 'office_id', 'request_id', 'subject', 'subject_id'],
  organisation: ['id', 'kind', 'kvk', 'name', 'office_id', 'region'],
  organisation_share: ['office_id', 'organisation_id'],
  // A mail's subject is generated from its items' kinds and counts.
  outbox: ['id', 'key', 'kind', 'organisation_id', 'status', 'subject'],
  // An item's subject is a key (a step and date, an employer id), not text.
  outbox_candidate_item: ['candidate_id', 'kind', 'outbox_id', 'subject'],
  outbox_item: ['kind', 'outbox_id', 'subject', 'trajectory_id'],
  outcome_cell: ['a', 'b', 'cohort_id', 'figure'],
  outcome_group_cell: ['a', 'b', 'covenant_id', 'figure', 'programme_id', 'region'],
  placement: ['employer_id', 'trajectory_id'],
  placement_work_process: ['code', 'employer_id', 'programme_id'],
  planned_checkpoint: ['key', 'name', 'trajectory_id'],
  // A day's reason is a holiday or a school closure's name; off is the kind of day off (a sick day says only
  // sick_leave, as the schedule's status does, never why).
  planned_day: ['kind', 'off', 'reason', 'trajectory_id'],
  praktijkovereenkomst: ['bpv_blad_employer_id', 'employer_id', 'trajectory_id'],
  praktijkverklaring: ['codes', 'school_id', 'trajectory_id'],
  programme: ['id', 'name', 'office_id', 'template'],
  readiness_override: ['crebo', 'employer_id', 'missing', 'office_id', 'trajectory_id'],
  recruitment_round: ['draaiboek', 'id', 'name', 'office_id', 'programme_id', 'region'],
  school_closure: ['id', 'name', 'office_id', 'school_id'],
  trajectory: [
    'benefit_payer_id',
    'cohort_id',
    'employer_id',
    'id',
    'jobcoach_id',
    'placement_weekdays',
    'status',
    'workflow_id',
  ],
  trajectory_event: ['trajectory_id', 'type'],
  used_link: ['token_hash'],
  web_session: ['contact_id', 'id', 'task'],
  work_process_evidence: ['code', 'employer_id', 'trajectory_id'],
};

type Columns = typeof PERSONAL_COLUMNS;
type Table = keyof Columns;
/** The columns (`table.column`) whose class matches `C`. */
export type ColumnsWhere<C> = {
  [T in Table]: { [K in keyof Columns[T]]: Columns[T][K] extends C ? `${T}.${K & string}` : never }[keyof Columns[T]];
}[Table];
type TableOf<C> = C extends `${infer T}.${string}` ? T : never;
/** The tables with a column anonymisation of `S` erases. */
export type TablesErasedOn<S extends Subject> = TableOf<ColumnsWhere<{ erased: { on: S | 'either' } }>>;

/** The columns of `table` that anonymisation of `subject` erases, with how. */
export function erasedColumns(subject: Subject, table: string): [column: string, how: Erasure][] {
  const columns: Readonly<Record<string, PersonalColumn>> =
    (PERSONAL_COLUMNS as Readonly<Record<string, Readonly<Record<string, PersonalColumn>>>>)[table] ?? {};
  return Object.entries(columns).flatMap(([column, c]) =>
    'on' in c.erased && (c.erased.on === subject || c.erased.on === 'either') ? [[column, c.erased.how]] : [],
  ) as [string, Erasure][];
}
