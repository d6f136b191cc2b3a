// Dutch public holidays, from date-holidays (maintained), looked up outside workflow code and passed into
// the workflow as data, so the workflow stays deterministic.
// Choice (see README): the public days off are Nieuwjaar, Pasen (2), Koningsdag, Hemelvaart, Pinksteren (2),
// Kerst (2); Bevrijdingsdag only in lustrum years (2025, 2030, ...), as most collective labour agreements
// in care do. Goede Vrijdag is not a day off.
import Holidays from 'date-holidays';
import type { Holiday } from '../domain/calendar';

const nl = new Holidays('NL');

export function dutchHolidays(from: string, to: string): Holiday[] {
  const out: Holiday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const h of nl.getHolidays(year)) {
      const date = h.date.slice(0, 10);
      const dayOff = h.type === 'public' || (h.name === 'Bevrijdingsdag' && year % 5 === 0);
      if (dayOff && date >= from && date <= to) out.push({ date, name: h.name });
    }
  }
  return out;
}
