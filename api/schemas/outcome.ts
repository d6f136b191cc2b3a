import { Type, type Static } from 'typebox';
import { Outcome } from '../../domain/outcomes';
import { TrajectoryStatus } from '../../domain/statuses';
import { EXAMPLE_ID, Id, IsoDate, Page, withExample } from './common';

export const Bsn = Type.String({
  pattern: '^[0-9]{9}$',
  description: 'Burgerservicenummer: 9 digits passing the elfproef. Stored only as a keyed hash.',
});

export const OutcomeQuery = Type.Intersect([
  Page,
  Type.Object({ cohortId: Type.Optional(withExample(Id, EXAMPLE_ID)) }),
]);
export type OutcomeQuery = Static<typeof OutcomeQuery>;

export const ParticipantOutcome = Type.Object({
  trajectoryId: Id,
  reference: Type.String({ description: "The programme office's pseudonymous reference" }),
  cohortId: Id,
  benefitPayerId: Type.Union([Id, Type.Null()]),
  status: TrajectoryStatus,
  endDate: IsoDate,
  outcome: Type.Union([Outcome, Type.Null()]),
});
export type ParticipantOutcome = Static<typeof ParticipantOutcome>;

export const BsnLookup = Type.Object({ bsn: Bsn }, { additionalProperties: false, examples: [{ bsn: '111222333' }] });
export type BsnLookup = Static<typeof BsnLookup>;

export const FigureQuery = Type.Object({
  programmeId: Type.Optional(withExample(Id, 'welslagen')),
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['West-Brabant'] })),
  cohortId: Type.Optional(withExample(Id, EXAMPLE_ID)),
  from: Type.Optional(
    Type.Intersect([IsoDate], { description: 'Cohorts that started on or after this date', examples: ['2027-01-01'] }),
  ),
  to: Type.Optional(
    Type.Intersect([IsoDate], { description: 'Cohorts that started on or before this date', examples: ['2027-12-31'] }),
  ),
  format: Type.Optional(
    Type.Enum(['json', 'csv', 'csv-nl'], {
      examples: ['csv-nl'],
      description:
        'csv: one row per figure (figure, category, count); also chosen by Accept: text/csv. csv-nl: the same ' +
        'rows for Dutch Excel: semicolons, UTF-8 with a byte-order mark, CRLF, a decimal comma, Dutch headers and ' +
        'words (Cijfer, Categorie, Aantal), a suppressed count as "< 5", the attendance rate as a percentage',
    }),
  ),
});
export type FigureQuery = Static<typeof FigureQuery>;

/** A count of people; null when it is suppressed (1 to 4 people, or it would give away a suppressed count). */
const Count = Type.Union([Type.Integer(), Type.Null()]);
const Counts = Type.Record(Type.String(), Count);

export const OutcomeFigures = Type.Object({
  filter: Type.Object({
    programmeId: Type.Optional(Type.String()),
    region: Type.Optional(Type.String()),
    cohortId: Type.Optional(Type.String()),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  }),
  started: Count,
  participants: Counts,
  dropoutByReason: Counts,
  dropoutByWeek: Counts,
  attendance: Type.Object({
    participants: Count,
    recordedDays: Type.Union([Type.Integer(), Type.Null()]),
    rate: Type.Union([Type.Number(), Type.Null()]),
  }),
  checkpoints: Type.Record(Type.String(), Counts),
  followUp: Type.Record(
    Type.String(),
    Type.Object({
      asked: Count,
      employed: Counts,
      enrolmentAsked: Count,
      enrolled: Counts,
    }),
    {
      description:
        'Per month after the BBL start (3, 6, 12): how many were asked, and still employed / still ' +
        'enrolled: yes, no, noAnswer (closed unanswered), open',
    },
  ),
  praktijkverklaring: Type.Object(
    {
      confirmed: Count,
      byOutcome: Counts,
    },
    {
      description:
        'Participants who ended without BBL and left with a praktijkverklaring the ROC confirmed, in total and by ' +
        'how the trajectory ended (no_doorstroom, job_without_bbl, dropout)',
    },
  ),
  doorstroomPok: Type.Object(
    { valid: Count, pending: Count },
    {
      description:
        'BBL doorstroom (participants.bbl_doorstroom) split by the praktijkovereenkomst: valid (signed by the ' +
        'participant, the employer and the ROC, no new bpv-blad missing), which is the doorstroom that counts, ' +
        'and pending (doorstroom, POK nog niet rond)',
    },
  ),
  suppression: Type.String(),
});
export type OutcomeFigures = Static<typeof OutcomeFigures>;
