// The praktijkovereenkomst's bpv-blad item in the morning mail (issue 21, part 2): to the ROC while a new bpv-blad is
// needed after an employer change, on its first working morning, then on every week's first morning until recorded.
// A condition an employer change raises, not a deadline: composed by the digest from the database. The POK's
// deadlines (pok_due, pok_late) are durable timers in the trajectory's deadlines workflow (activities/deadlines.ts).
import type { Db } from '../db/connection';
import { listBblPoks, pokRecordOf } from '../db/praktijkovereenkomst';
import { addDays, isWorkingDay } from '../domain/calendar';
import { pokStanding, POK_STEP_NL } from '../domain/praktijkovereenkomst';
import type { DigestItem } from './mail-texts';
import type { Due } from './reminders';

/** The bpv-blad items of `date` (`weekStart`: the week's first working morning, when open items come again). */
export async function pokDue(db: Db, date: string, holidays: ReadonlySet<string>, weekStart: boolean): Promise<Due[]> {
  const rows = await listBblPoks(db, {});
  if (rows.length === 0) return [];
  const employers = new Map(
    (
      await db
        .selectFrom('organisation')
        .select(['id', 'name'])
        .where('id', 'in', [...new Set(rows.map((r) => r.current_employer_id))])
        .execute()
    ).map((o) => [o.id, o.name]),
  );
  const firstMorning = (from: string) => {
    let d = from;
    while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
    return d;
  };
  /** From `from` on: its first working morning, then each week's first morning. */
  const on = (from: string) => date >= from && (date === firstMorning(from) || weekStart);
  const due: Due[] = [];
  for (const r of rows) {
    const s = pokStanding(pokRecordOf(r), {
      contractStart: r.contract_start!,
      currentEmployer: r.current_employer_id,
      date,
    });
    const base = { trajectoryId: r.id, firstName: r.name.split(/\s+/)[0] ?? r.name, reference: r.reference };
    const pok = { deadline: s.deadline, missing: s.missing.map((m) => POK_STEP_NL[m]) };
    const roc = { organisationId: r.school_id, role: 'roc_coordinator' as const };
    const officeId = r.programme_office_id;
    const item = (kind: DigestItem['kind'], extra = {}): DigestItem => ({ ...base, kind, pok: { ...pok, ...extra } });
    if (s.bpvBladNeeded) {
      const from = [r.employer_on!, r.employer_changed_on ?? r.employer_on!].sort().at(-1)!;
      if (on(from))
        due.push({
          to: roc,
          officeId,
          subject: `bpv-blad-${r.current_employer_id}`,
          item: item('bpv_blad', { employer: employers.get(r.current_employer_id) ?? r.current_employer_id }),
        });
    }
  }
  return due;
}
