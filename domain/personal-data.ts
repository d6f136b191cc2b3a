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
