// Builders for realistic requests: a WelSlagen cohort in West-Brabant.
import type { NewCohort, NewParticipant } from '../../api/schemas/cohort';
import { addDays, isoWeekday, localDate } from '../../workflows/calendar';

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** The Monday of the current week in Amsterdam: a cohort that started this week is in week 1 today. */
export function thisMonday(now = Date.now()): string {
  const today = localDate(now);
  return addDays(today, 1 - isoWeekday(today));
}

export function participants(n: number, employerIds: string[]): NewParticipant[] {
  return Array.from({ length: n }, (_, i) => ({
    reference: `WB-${String(i + 1).padStart(3, '0')}`,
    name: `Deelnemer ${i + 1}`,
    email: `deelnemer${i + 1}@example.nl`,
    employerId: employerIds[i % employerIds.length]!,
    placementWeekdays: ['monday', 'tuesday', 'wednesday'],
    jobcoach: { name: 'Jobcoach Breda', email: 'jobcoach@example.nl' },
  }));
}

export function cohortRequest(o: { schoolId: string; employerIds: string[]; size?: number; startDate?: string }): NewCohort {
  return {
    programmeId: 'welslagen',
    region: 'West-Brabant',
    startDate: o.startDate ?? thisMonday(),
    schoolId: o.schoolId,
    schoolWeekday: 'thursday',
    participants: participants(o.size ?? 20, o.employerIds),
  };
}
