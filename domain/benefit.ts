// Keeping the benefit (met behoud van uitkering): the legal instrument under which a participant keeps the benefit
// during the trajectory, as data per payer and region, and the one check every change and its preview run: does the
// trajectory's planned end lie past the instrument's maximum, given the payer's recorded extension decisions?
import { Type, type Static } from 'typebox';
import { addDays, addMonths } from './calendar';
import type { DeadlineRule } from './deadlines';
import { dutchDay } from './dutch';
import { IsoDate, Text } from './primitives';

export const PAYER_KINDS = ['gemeente', 'uwv'] as const;
export type PayerKind = (typeof PAYER_KINDS)[number];

export const INSTRUMENTS = [
  'uwv_proefplaatsing',
  'werkervaringsplaats',
  'leerwerktraject',
  'gemeente_proefplaatsing',
] as const;
export const Instrument = Type.Enum(INSTRUMENTS, {
  description:
    'uwv_proefplaatsing: UWV (WW/WIA/Wajong); werkervaringsplaats, leerwerktraject, gemeente_proefplaatsing: a ' +
    "gemeente's instruments under the Participatiewet",
});
export type Instrument = (typeof INSTRUMENTS)[number];

/** What the payer confirmed at the BBL contract start. */
export const ADJUSTMENT_OUTCOMES = ['adjusted', 'ended'] as const;
export type AdjustmentOutcome = (typeof ADJUSTMENT_OUTCOMES)[number];
export const AdjustmentOutcome = Type.Enum(ADJUSTMENT_OUTCOMES, {
  description: 'adjusted: the benefit was lowered for the BBL wage; ended: it stopped',
});

export interface InstrumentRule {
  payerKind: PayerKind;
  nameNl: string;
  legalBasis: string;
  /** The first period, in calendar months from the start. */
  maximumMonths: number;
  /** The most an extension decision can reach, in months from the start; equal to maximumMonths: not extendable. */
  ceilingMonths: number;
}

export interface RuleSet {
  id: string;
  name: string;
  /** The payer's contacts are reminded this many days before the maximum is reached. */
  reminderDaysBefore: number;
  instruments: Partial<Record<Instrument, InstrumentRule>>;
}

const UWV_PROEFPLAATSING: InstrumentRule = {
  payerKind: 'uwv',
  nameNl: 'Proefplaatsing UWV',
  legalBasis: 'UWV proefplaatsing (WW, WIA, Wajong): 2 maanden, verlengbaar tot 6 maanden',
  maximumMonths: 2,
  ceilingMonths: 6,
};

const participatiewet = (nameNl: string, maximumMonths: number, ceilingMonths: number): InstrumentRule => ({
  payerKind: 'gemeente',
  nameNl,
  legalBasis: 'Participatiewet, met de re-integratieverordening van de gemeente',
  maximumMonths,
  ceilingMonths,
});

/**
 * The rule sets a payer's instruments are judged by. The gemeente caps come from each gemeente's own
 * re-integratieverordening under the Participatiewet: the figures here are illustrative defaults that a region edits
 * (a new entry, keyed by the cohort's region), not legal advice. The UWV proefplaatsing is national.
 */
export const RULE_SETS: Record<string, RuleSet> = {
  uwv: { id: 'uwv', name: 'UWV', reminderDaysBefore: 14, instruments: { uwv_proefplaatsing: UWV_PROEFPLAATSING } },
  participatiewet: {
    id: 'participatiewet',
    name: 'Participatiewet (standaard)',
    reminderDaysBefore: 14,
    instruments: {
      werkervaringsplaats: participatiewet('Werkervaringsplaats', 6, 12),
      leerwerktraject: participatiewet('Leerwerktraject', 6, 12),
      gemeente_proefplaatsing: participatiewet('Proefplaatsing gemeente', 2, 6),
    },
  },
  'west-brabant': {
    id: 'west-brabant',
    name: 'Participatiewet, West-Brabant',
    reminderDaysBefore: 14,
    instruments: {
      werkervaringsplaats: participatiewet('Werkervaringsplaats', 3, 6),
      leerwerktraject: participatiewet('Leerwerktraject', 3, 6),
      gemeente_proefplaatsing: participatiewet('Proefplaatsing gemeente', 2, 3),
    },
  },
};

/** The region's own gemeente set when there is one (by name, case and spaces aside), else the standard one. */
export function ruleSetFor(payerKind: PayerKind, region: string): RuleSet {
  if (payerKind === 'uwv') return RULE_SETS.uwv!;
  const key = region.trim().toLowerCase().replace(/\s+/g, '-');
  return RULE_SETS[key] ?? RULE_SETS.participatiewet!;
}

/** A payer's instrument unless told otherwise: the UWV its proefplaatsing, a gemeente a werkervaringsplaats. */
export const defaultInstrument = (payerKind: PayerKind): Instrument =>
  payerKind === 'uwv' ? 'uwv_proefplaatsing' : 'werkervaringsplaats';

/** A payer's decision to extend the instrument up to and including `until`. */
export const ExtensionDecision = Type.Object(
  {
    until: Type.Intersect([IsoDate], { description: 'The last day the extended instrument covers' }),
    decidedOn: Type.Intersect([IsoDate], { description: "The date of the payer's decision (beschikking)" }),
    reference: Type.Optional(Type.Intersect([Text(100)], { description: "The payer's own reference for it" })),
  },
  { additionalProperties: false },
);
export type ExtensionDecision = Static<typeof ExtensionDecision>;

/** One participant's instrument: which, under which rule set, from when, decided when, and its extensions. */
export interface BenefitInstrument {
  instrument: Instrument;
  ruleSet: string;
  startDate: string;
  decisionDate: string;
  extensions: ExtensionDecision[];
}

export type BenefitProblem =
  | { field: 'instrument'; en: string; nl: string }
  | { field: 'until'; en: string; nl: string }
  | { field: 'startDate'; en: string; nl: string };

/** The rule an instrument falls under, or a problem: an instrument the payer's rule set does not know. */
export function ruleOf(b: Pick<BenefitInstrument, 'instrument' | 'ruleSet'>): InstrumentRule | BenefitProblem {
  const rule = RULE_SETS[b.ruleSet]?.instruments[b.instrument];
  if (rule) return rule;
  return {
    field: 'instrument',
    en: `instrument ${b.instrument} is not in rule set ${b.ruleSet}`,
    nl: `het instrument ${b.instrument} hoort niet bij de regels ${RULE_SETS[b.ruleSet]?.name ?? b.ruleSet}`,
  };
}
export const isProblem = (r: InstrumentRule | BenefitProblem): r is BenefitProblem => 'field' in r;

/** The last day of `months` calendar months from `start` (start 1 March, 2 months: 30 April). */
const lastDayOf = (start: string, months: number) => addDays(addMonths(start, months), -1);

/** The last day the instrument covers: its first period, or the latest extension decision within the ceiling. */
export function maximumEnd(b: BenefitInstrument, rule: InstrumentRule): string {
  const first = lastDayOf(b.startDate, rule.maximumMonths);
  const ceiling = lastDayOf(b.startDate, rule.ceilingMonths);
  const extended = b.extensions.map((x) => x.until).reduce((a, x) => (x > a ? x : a), first);
  return extended > ceiling ? ceiling : extended;
}

/** Whether an extension decision can be recorded: the instrument is extendable and `until` within its ceiling. */
export function extensionProblem(
  b: BenefitInstrument,
  rule: InstrumentRule,
  x: ExtensionDecision,
): BenefitProblem | null {
  const ceiling = lastDayOf(b.startDate, rule.ceilingMonths);
  if (x.until > ceiling)
    return {
      field: 'until',
      en:
        `${rule.legalBasis}: an extension reaches at most ${ceiling} ` +
        `(${rule.ceilingMonths} months from ${b.startDate})`,
      nl:
        `${rule.nameNl}: een verlenging loopt tot uiterlijk ${dutchDay(ceiling)} (${rule.ceilingMonths} maanden ` +
        `vanaf ${dutchDay(b.startDate)})`,
    };
  if (x.until < lastDayOf(b.startDate, rule.maximumMonths))
    return {
      field: 'until',
      en: `the extension ends before the first period does (${lastDayOf(b.startDate, rule.maximumMonths)})`,
      nl: `de verlenging eindigt vóór de eerste periode (${dutchDay(lastDayOf(b.startDate, rule.maximumMonths))})`,
    };
  return null;
}

/** 'Proefplaatsing UWV' inside a sentence: 'proefplaatsing UWV'. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The check: the trajectory's planned end (after a proposed change) against the instrument's maximum. */
export interface BenefitCheck {
  instrument: Instrument;
  plannedEnd: string;
  maximumEnd: string;
  /** The furthest any extension decision could reach. */
  ceiling: string;
  pastMaximum: boolean;
  /** Why, naming the dates; null when within the maximum. */
  explanation: { en: string; nl: string } | null;
}

export function checkPlannedEnd(b: BenefitInstrument, rule: InstrumentRule, plannedEnd: string): BenefitCheck {
  const max = maximumEnd(b, rule);
  const ceiling = lastDayOf(b.startDate, rule.ceilingMonths);
  const pastMaximum = plannedEnd > max;
  const extendable = max < ceiling;
  const explanation = pastMaximum
    ? {
        en:
          `the trajectory would end on ${plannedEnd}, past the maximum of the ${b.instrument} (${rule.legalBasis}) ` +
          `that started on ${b.startDate} and covers up to ${max}` +
          (extendable
            ? `; the payer can record an extension decision up to ${ceiling}`
            : '; it cannot be extended further'),
        nl:
          `het traject zou eindigen op ${dutchDay(plannedEnd)}, na het einde van de ${lowerFirst(rule.nameNl)} ` +
          `die begon op ${dutchDay(b.startDate)} en loopt tot en met ${dutchDay(max)} (${rule.legalBasis})` +
          (extendable
            ? `; de uitkeringsverstrekker kan een verlenging vastleggen tot uiterlijk ${dutchDay(ceiling)}`
            : '; verder verlengen kan niet'),
      }
    : null;
  return { instrument: b.instrument, plannedEnd, maximumEnd: max, ceiling, pastMaximum, explanation };
}

/** What the payer's deadlines are computed from: the instrument and what the trajectory's projection says. */
export interface BenefitDeadlineFacts {
  benefit: BenefitInstrument;
  payerId: string;
  /** The trajectory's planned end, as its workflow last projected it. */
  plannedEnd: string;
  /** The workflow still runs its course (domain/statuses.ts RUNNING_STATUSES). */
  running: boolean;
  /** The BBL contract's start, once the employer confirmed it. */
  contractStart: string | null;
  adjustmentConfirmedOn: string | null;
}

/**
 * The reminder before the instrument's maximum (the payer's rule set: 14 days) of a trajectory running past it,
 * on its first working morning and weekly after, while the trajectory runs; none once it ends, or within the maximum.
 */
export function benefitMaximumDeadline(f: BenefitDeadlineFacts): DeadlineRule {
  if (!f.running) return 'done';
  const rule = ruleOf(f.benefit);
  if (isProblem(rule)) return 'done';
  const check = checkPlannedEnd(f.benefit, rule, f.plannedEnd);
  // A change still to come (a pause, an extension) can carry it past the maximum: it stays watched.
  if (!check.pastMaximum) return 'waiting';
  return {
    kind: 'benefit_maximum',
    from: addDays(check.maximumEnd, -(RULE_SETS[f.benefit.ruleSet]?.reminderDaysBefore ?? 14)),
    weekly: true,
    to: [{ organisationId: f.payerId, role: 'funder_analyst' }],
    data: { instrument: rule.nameNl, maximumEnd: check.maximumEnd, plannedEnd: f.plannedEnd },
  };
}

/** "Uitkering aanpassen of beëindigen" from the BBL contract start, weekly until the payer confirms it. */
export function benefitAdjustmentDeadline(f: BenefitDeadlineFacts): DeadlineRule {
  if (f.adjustmentConfirmedOn) return 'done';
  const rule = ruleOf(f.benefit);
  if (isProblem(rule)) return 'done';
  if (!f.contractStart) return f.running ? 'waiting' : 'done';
  return {
    kind: 'benefit_adjustment',
    from: f.contractStart,
    weekly: true,
    to: [{ organisationId: f.payerId, role: 'funder_analyst' }],
    data: { instrument: rule.nameNl, contractStart: f.contractStart },
  };
}
