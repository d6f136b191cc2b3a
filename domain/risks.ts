// Risk signals: rule-based, and explained. A signal is a fact with its figures (which days, which checkpoint),
// never a sentence; the words are rendered from it, in English for the API and in Dutch for the people who get
// the mail, and the digest raises each signal once under its key. The same rules run in the workflow
// (state.ts) and in SQL over the projection (db/steering.ts, db/reminders.ts), with the figures below.
import { Type, type Static } from 'typebox';
import { dutchDay } from './dutch';
import { IsoDate } from './primitives';

export const RISK_RULES = { unexcusedWithinDays: 14, unexcusedAtLeast: 2, lowAttendanceFromRecordedDays: 5 } as const;

export const RiskSignal = Type.Union([
  Type.Object({
    kind: Type.Literal('unexcused_absences'),
    dates: Type.Array(IsoDate, { description: 'The unexcused absences within the window, oldest first' }),
  }),
  Type.Object({ kind: Type.Literal('checkpoint_at_risk'), key: Type.String(), recordedOn: IsoDate }),
  Type.Object({
    kind: Type.Literal('checkpoint_overdue'),
    key: Type.String(),
    name: Type.String(),
    week: Type.Integer(),
    weekEnd: IsoDate,
  }),
  Type.Object({
    kind: Type.Literal('low_attendance'),
    attended: Type.Integer(),
    recorded: Type.Integer(),
    threshold: Type.Number({ description: "The programme's attendance threshold, a share (0.8)" }),
  }),
]);
export type RiskSignal = Static<typeof RiskSignal>;
export type RiskKind = RiskSignal['kind'];
export const RISK_KINDS = [
  'unexcused_absences',
  'checkpoint_at_risk',
  'checkpoint_overdue',
  'low_attendance',
] as const satisfies readonly RiskKind[];

const percent = (share: number) => Math.round(100 * share);

/** The signal in English words (the API's `reason`). */
export function riskInEnglish(s: RiskSignal): string {
  switch (s.kind) {
    case 'unexcused_absences':
      return `${s.dates.length} unexcused absences within two weeks (${s.dates.join(', ')})`;
    case 'checkpoint_at_risk':
      return `checkpoint ${s.key} was recorded as at risk on ${s.recordedOn}`;
    case 'checkpoint_overdue':
      return `checkpoint ${s.name} (week ${s.week}) was due by ${s.weekEnd} and is not recorded`;
    case 'low_attendance':
      return (
        `attended ${s.attended} of ${s.recorded} recorded days (${percent(s.attended / s.recorded)}%), ` +
        `below the programme's ${percent(s.threshold)}%`
      );
  }
}

/** The signal in Dutch words, for the coordinator's mail. */
export function riskInDutch(s: RiskSignal): string {
  switch (s.kind) {
    case 'unexcused_absences':
      return `${s.dates.length} keer ongeoorloofd afwezig binnen twee weken (${s.dates.map(dutchDay).join(', ')})`;
    case 'checkpoint_at_risk':
      return `checkpoint ${s.key} is op ${dutchDay(s.recordedOn)} vastgelegd als "risico"`;
    case 'checkpoint_overdue':
      return `checkpoint ${s.name} moest uiterlijk ${dutchDay(s.weekEnd)} vastgelegd zijn en is dat niet`;
    case 'low_attendance':
      return (
        `aanwezig op ${s.attended} van ${s.recorded} geregistreerde dagen (${percent(s.attended / s.recorded)}%), ` +
        `onder de norm van ${percent(s.threshold)}%`
      );
  }
}

/**
 * The key a signal is raised under once in the coordinator's mail: its kind and the date it begins from. The
 * same keys as the outbox has stored since signals were mailed (kind and the first date of the English reason),
 * so a signal raised before this version is not raised again.
 */
export function riskKey(s: RiskSignal): string {
  const since =
    s.kind === 'unexcused_absences'
      ? (s.dates[0] ?? '')
      : s.kind === 'checkpoint_at_risk'
        ? s.recordedOn
        : s.kind === 'checkpoint_overdue'
          ? s.weekEnd
          : '';
  return `${s.kind}:${since}`;
}
