// Builders for realistic requests: a WelSlagen cohort in West-Brabant.
import type { NewCohort, NewParticipant } from '../../api/schemas/cohort';
import type { ProgrammeTemplate } from '../../api/schemas/programme';
import { addDays, isoWeekday, localDate } from '../../domain/calendar';

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** The Monday of the current week in Amsterdam: a cohort that started this week is in week 1 today. */
export function thisMonday(now = Date.now()): string {
  const today = localDate(now);
  return addDays(today, 1 - isoWeekday(today));
}

/** The partners of a covenant a cohort can be launched under (tests/helpers/partners.ts makes them). */
export interface CohortPartners {
  covenantId: string;
  schoolId: string;
  employerIds: string[];
  jobcoachId: string;
  benefitPayerIds: string[];
}

export function participants(n: number, p: Omit<CohortPartners, 'covenantId' | 'schoolId'>): NewParticipant[] {
  return Array.from({ length: n }, (_, i) => ({
    reference: `WB-${String(i + 1).padStart(3, '0')}`,
    name: `Deelnemer ${i + 1}`,
    email: `deelnemer${i + 1}@example.nl`,
    employerId: p.employerIds[i % p.employerIds.length]!,
    placementWeekdays: ['monday', 'tuesday', 'wednesday'],
    jobcoachId: p.jobcoachId,
    benefitPayerId: p.benefitPayerIds[i % p.benefitPayerIds.length]!,
  }));
}

export function cohortRequest(o: CohortPartners & { size?: number; startDate?: string }): NewCohort {
  return {
    programmeId: 'welslagen',
    covenantId: o.covenantId,
    startDate: o.startDate ?? thisMonday(),
    schoolId: o.schoolId,
    schoolWeekday: 'thursday',
    participants: participants(o.size ?? 20, o),
  };
}

/** The WelSlagen template (as migration 0002 seeds it, with short checkpoint names), with what a test changes. */
export function welslagenTemplate(over: Partial<ProgrammeTemplate> = {}): ProgrammeTemplate {
  return {
    weeks: 20,
    placementDaysPerWeek: 3,
    schoolDaysPerWeek: 1,
    attendanceThreshold: 0.8,
    bblDecisionFromWeek: 16,
    intendedOutcome: 'bbl_doorstroom',
    checkpoints: [
      { key: 'intake', name: 'Intake', week: 1 },
      { key: 'pop', name: 'POP', week: 3 },
      { key: 'midterm', name: 'Tussenevaluatie', week: 10 },
      { key: 'pre-bbl', name: 'Voorbereiding BBL', week: 18 },
    ],
    ...over,
  };
}

/** A two-week programme without checkpoints: for tests about what comes after the end. */
export const shortTemplate = (): ProgrammeTemplate =>
  welslagenTemplate({ weeks: 2, checkpoints: [], bblDecisionFromWeek: 1 });
