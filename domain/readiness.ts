// Employer readiness (issue 20): before a leerling-werknemer starts at an employer, the employer must be an erkend
// leerbedrijf (SBB) for the BBL qualification the programme leads to, have a named praktijkopleider with time for
// the participant, meet the randvoorwaarden of the sector's checklist (seed 000) and have a place left. One pure
// function says what is missing, in Dutch and English, so the API, the launch guard and the pages say the same.
import { Type, type Static } from 'typebox';
import { addDays } from './calendar';
import { IsoDate, Text } from './primitives';

/**
 * A crebo number: the five digits SBB names a qualification by. WelSlagen leads to Verzorgende-IG niveau 3
 * (crebo 25491), not Helpende Zorg & Welzijn niveau 2 (25498): seed 004 says the employers look for "gekwalificeerde
 * medewerkers op niveau 3", and the BBL doorstroom after the 20 weeks is into that qualification.
 */
export const Crebo = Type.String({ pattern: '^[0-9]{5}$', description: 'A crebo number (five digits, SBB)' });
export const WELSLAGEN_CREBO = '25491';
export const CREBO_NAMES: Record<string, string> = {
  '25491': 'Verzorgende-IG (niveau 3)',
  '25498': 'Helpende Zorg en Welzijn (niveau 2)',
};

/** The qualification a programme leads to: its own crebo, or WelSlagen's for a template that names none. */
export const creboOf = (template: { crebo?: string }) => template.crebo ?? WELSLAGEN_CREBO;

/** The randvoorwaarden of the checklist for an employer taking a leerling-werknemer (seed 000), in its words. */
export const CHECKLIST = {
  suitableWork: 'Geschikt werk: passende werkzaamheden op het niveau van de opleiding',
  safeWorkplace: 'Een veilige werkplek',
  mentorTime: 'Tijd van de praktijkopleider voor begeleiden en beoordelen',
  agreement: 'Afspraken met het programmabureau vastgelegd',
} as const;
export type ChecklistItem = keyof typeof CHECKLIST;
export const CHECKLIST_ITEMS = Object.keys(CHECKLIST) as ChecklistItem[];
const CHECKLIST_EN: Record<ChecklistItem, string> = {
  suitableWork: 'suitable work at the level of the qualification',
  safeWorkplace: 'a safe workplace',
  mentorTime: 'time of the praktijkopleider for guiding and assessing',
  agreement: 'an agreement with the programme office',
};

export const Checklist = Type.Object(
  {
    suitableWork: Type.Boolean({ description: CHECKLIST.suitableWork }),
    safeWorkplace: Type.Boolean({ description: CHECKLIST.safeWorkplace }),
    mentorTime: Type.Boolean({ description: CHECKLIST.mentorTime }),
    agreement: Type.Boolean({ description: CHECKLIST.agreement }),
  },
  { additionalProperties: false },
);
export type Checklist = Static<typeof Checklist>;
export const EMPTY_CHECKLIST: Checklist = {
  suitableWork: false,
  safeWorkplace: false,
  mentorTime: false,
  agreement: false,
};

/** The SBB recognition as erkend leerbedrijf for one crebo, and who checked it when. */
export const Recognition = Type.Object(
  {
    number: Type.String({ pattern: '^[A-Za-z0-9-]{1,30}$', description: "SBB's recognition number" }),
    recognisedOn: IsoDate,
    checkedOn: IsoDate,
    checkedBy: Text(200),
  },
  { additionalProperties: false },
);
export type Recognition = Static<typeof Recognition>;

export const READINESS_LIMITS = { places: 1000, mentorHours: 40 } as const;

/** What the readiness says for an employer, an office and a crebo (without the places in use, which are counted). */
export interface ReadinessFacts {
  recognition: Recognition | null;
  mentor: { contactId: string; hoursPerWeek: number } | null;
  checklist: Checklist;
  places: number;
}

export type GapKey = 'not_checked' | 'recognition' | 'mentor' | ChecklistItem | 'places';
export interface Gap {
  key: GapKey;
  en: string;
  nl: string;
  /**
   * Whether it stops a placement from starting. The issue blocks on the checklist, the recognition and the places;
   * a praktijkopleider not yet named is shown as missing but does not block (the checklist's "mentor time" does).
   */
  blocks: boolean;
}

export interface ReadinessVerdict {
  /** A placement may start without an override. */
  canStart: boolean;
  missing: Gap[];
  placesLeft: number;
}

/**
 * What is missing before `starting` more participants can start at the employer, with `inUse` places taken by
 * running trajectories. No record at all is "not checked": blocked, like any other gap, unless overridden.
 */
export function readinessVerdict(facts: ReadinessFacts | undefined, inUse: number, starting = 1): ReadinessVerdict {
  if (!facts)
    return {
      canStart: false,
      placesLeft: 0,
      missing: [
        {
          key: 'not_checked',
          en: 'readiness has not been checked',
          nl: 'de randvoorwaarden zijn niet gecontroleerd',
          blocks: true,
        },
      ],
    };
  const missing: Gap[] = [];
  if (!facts.recognition)
    missing.push({
      key: 'recognition',
      en: 'no SBB recognition as erkend leerbedrijf recorded',
      nl: 'geen SBB-erkenning als leerbedrijf vastgelegd',
      blocks: true,
    });
  if (!facts.mentor || facts.mentor.hoursPerWeek < 1)
    missing.push({
      key: 'mentor',
      en: 'no praktijkopleider (mentor) with hours per week named',
      nl: 'geen praktijkopleider met uren per week genoemd',
      blocks: false,
    });
  for (const item of CHECKLIST_ITEMS)
    if (!facts.checklist[item])
      missing.push({
        key: item,
        en: `checklist: ${CHECKLIST_EN[item]}`,
        nl: `randvoorwaarde: ${CHECKLIST[item]}`,
        blocks: true,
      });
  const placesLeft = Math.max(0, facts.places - inUse);
  if (placesLeft < starting)
    missing.push({
      key: 'places',
      en: `${placesLeft} of ${facts.places} places left, ${starting} needed`,
      nl: `${placesLeft} van ${facts.places} plaatsen vrij, ${starting} nodig`,
      blocks: true,
    });
  return { canStart: !missing.some((g) => g.blocks), missing, placesLeft };
}

/** The gaps that block a start, in one sentence, in either language. */
export const gapsInWords = (missing: Gap[], lang: 'en' | 'nl') =>
  missing
    .filter((g) => g.blocks)
    .map((g) => g[lang])
    .join('; ');

/** An override of a refused start: the coordinator's reason, recorded with their name. */
export const ReadinessOverride = Type.Object(
  {
    reason: Type.Intersect([Text(500)], {
      description: 'Why the placement starts although the employer is not (fully) ready; audited with your name',
    }),
  },
  { additionalProperties: false },
);
export type ReadinessOverride = Static<typeof ReadinessOverride>;

/** A recognition counts as checked for a year; after it, or when it predates the cohort, it is re-checked. */
export const RECHECK_AFTER_DAYS = 365;
export const DEFAULT_RECHECK_DAYS_BEFORE = 28;

/**
 * Whether the recognition must be re-checked before the cohort's BBL decision (due `bblDecisionOn`): from `daysBefore`
 * days before it, when the last check lies before the cohort's start (SBB may have withdrawn it since the placement
 * began) or more than a year back (SBB's own rhythm of re-visiting leerbedrijven).
 */
export function recheckDue(
  o: { checkedOn: string | null; cohortStart: string; bblDecisionOn: string; today: string },
  daysBefore = DEFAULT_RECHECK_DAYS_BEFORE,
): boolean {
  if (o.today < addDays(o.bblDecisionOn, -daysBefore) || o.today > o.bblDecisionOn) return false;
  if (o.checkedOn === null) return true;
  return o.checkedOn < o.cohortStart || o.checkedOn < addDays(o.today, -RECHECK_AFTER_DAYS);
}

/** The day of the BBL decision: the first day of week `bblDecisionFromWeek`, counted from the cohort's Monday. */
export const bblDecisionOn = (cohortStart: string, bblDecisionFromWeek: number) =>
  addDays(cohortStart, (bblDecisionFromWeek - 1) * 7);

/**
 * SBB's public register of leerbedrijven (Stagemarkt), searched for the employer and crebo. Built from what is known;
 * nothing is fetched: the coordinator follows the link to check by eye.
 */
export function registerLink(o: { crebo: string; kvk?: string | null; name: string }): string {
  const q = new URLSearchParams({ zoekterm: o.kvk ?? o.name, crebo: o.crebo });
  return `https://www.stagemarkt.nl/leerbedrijven/?${q.toString()}`;
}
