// A gemeente's or UWV's list of candidates uploaded into a recruitment round (issue 20): the template's columns,
// reading each row as a person filled it (names, a date of birth as Excel or a person writes it, an e-mail address,
// a BSN, who handed the list over), and every row checked at once with a Dutch message naming its row and column.
// What a person could not get wrong in a form is checked here; who the candidate is (the BSN's elfproef, the
// source, someone twice, someone already in the round or in a running trajectory) is the round's one check,
// checkCandidates in api/services/recruitment.ts, which the API uses too. Near matches are not problems: they come
// back for a person to decide. Nothing here echoes a BSN: a BSN cell is checked and hashed, never repeated.
import type { UploadEntry, UploadNearMatch } from '../../db/candidate-uploads';
import { listOrganisations } from '../../db/organisations';
import { isValidDate, localDate } from '../../domain/calendar';
import { bsnHash, containsBsn, isBsn } from '../bsn';
import type { AppDeps } from '../deps';
import { checkCandidates, type CandidateEntry, type CandidateFinding } from './recruitment';

/** Rows one upload may hold: a municipality's list for one round is tens, rarely hundreds. */
export const MAX_CANDIDATE_ROWS = 500;

export type CandidateColumn = 'firstName' | 'lastName' | 'dateOfBirth' | 'email' | 'bsn' | 'source';

/** The template's columns, in their order: the Dutch header, whether a cell must be filled, and what goes in it. */
export const CANDIDATE_COLUMNS: {
  key: CandidateColumn;
  header: string;
  required: boolean;
  hint: string;
  width: number;
}[] = [
  { key: 'firstName', header: 'Voornaam', required: true, width: 18, hint: 'De voornaam (roepnaam mag ook)' },
  {
    key: 'lastName',
    header: 'Achternaam',
    required: true,
    width: 24,
    hint: 'Met tussenvoegsel, bijvoorbeeld de Vries',
  },
  {
    key: 'dateOfBirth',
    header: 'Geboortedatum',
    required: true,
    width: 16,
    hint: 'Dag-maand-jaar, bijvoorbeeld 2-3-1994, of een datumcel van Excel',
  },
  { key: 'email', header: 'E-mail', required: false, width: 30, hint: 'Bijvoorbeeld naam@voorbeeld.nl; mag leeg' },
  {
    key: 'bsn',
    header: 'BSN',
    required: false,
    width: 12,
    hint: 'Negen cijfers; mag leeg. Alleen om dubbelen te vinden: het wordt nooit leesbaar bewaard',
  },
  {
    key: 'source',
    header: 'Aangeleverd door',
    required: false,
    width: 26,
    hint: 'De gemeente of het UWV van de lijst (de naam zoals in het tabblad Bronnen); leeg: uw programmabureau',
  },
];

/** One row's problem: the row as Excel numbers it, the column by its header, the message in Dutch. */
export interface CandidateSheetProblem {
  line: number;
  column: string;
  message: string;
}

/** The gemeenten and UWV offices the office may name as a list's source, by name. */
export async function candidateSources(deps: Pick<AppDeps, 'db'>, office: string) {
  const page = { officeId: office, limit: 500, offset: 0 };
  const [gemeenten, uwv] = await Promise.all([
    listOrganisations(deps.db, { ...page, kind: 'gemeente' }),
    listOrganisations(deps.db, { ...page, kind: 'uwv' }),
  ]);
  return [...gemeenten.items, ...uwv.items]
    .map((o) => ({ id: o.id, name: o.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
/** A cell's value in a message: in quotes, shortened, and never when it holds a BSN. */
const quoted = (s: string) => (containsBsn(s) ? 'deze waarde' : `'${s.length > 40 ? `${s.slice(0, 37)}...` : s}'`);

/** A date as Excel gives it (2027-03-02) or as a person types it (2-3-1994, 02/03/1994, 2.3.1994). */
function readBirthDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dutch = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isValidDate(date) ? date : undefined;
}

/**
 * Every row of the sheet checked: the entries ready for the round and the near matches a person decides on when
 * `problems` is empty, else every problem at once (row, column, Dutch message). `sheet` as readSheet gives it.
 */
export async function checkCandidateSheet(
  deps: Pick<AppDeps, 'db' | 'config' | 'now'>,
  o: { office: string; round: { id: string; office_id: string; programme_id: string } },
  sheet: { headers: string[]; rows: { line: number; cells: string[] }[] },
): Promise<{ entries: UploadEntry[]; near: UploadNearMatch[]; problems: CandidateSheetProblem[] }> {
  const problems: CandidateSheetProblem[] = [];
  const header = (k: CandidateColumn) => CANDIDATE_COLUMNS.find((c) => c.key === k)!.header;
  const at = new Map<CandidateColumn, number>();
  const headers = sheet.headers.map(norm);
  for (const c of CANDIDATE_COLUMNS) {
    // "E-mailadres" and "e-mail" are the same column to a person.
    const i = headers.findIndex((h) => h === norm(c.header) || (c.key === 'email' && h === 'e-mailadres'));
    if (i >= 0) at.set(c.key, i);
    else if (c.required)
      problems.push({
        line: 1,
        column: c.header,
        message: `De kolom ${c.header} ontbreekt. Gebruik de kopregel van het sjabloon.`,
      });
  }
  const none = { entries: [], near: [] };
  if (problems.length) return { ...none, problems };
  if (sheet.rows.length === 0)
    return {
      ...none,
      problems: [
        { line: 2, column: header('firstName'), message: 'Het bestand heeft geen kandidaten onder de kopregel.' },
      ],
    };
  if (sheet.rows.length > MAX_CANDIDATE_ROWS)
    return {
      ...none,
      problems: [
        {
          line: sheet.rows[MAX_CANDIDATE_ROWS]!.line,
          column: header('firstName'),
          message:
            `Het bestand heeft ${sheet.rows.length} kandidaten; er passen er hoogstens ${MAX_CANDIDATE_ROWS} in ` +
            'één upload. Verdeel ze over meer bestanden.',
        },
      ],
    };

  const sources = await candidateSources(deps, o.office);
  const today = localDate(deps.now?.() ?? Date.now());
  const rows: (UploadEntry & { bsnFailsElfproef?: boolean })[] = [];
  for (const row of sheet.rows) {
    const cell = (k: CandidateColumn) => {
      const i = at.get(k);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const problem = (k: CandidateColumn, message: string) =>
      problems.push({ line: row.line, column: header(k), message });
    const before = problems.length;
    // A BSN belongs in its own column only: elsewhere it would be kept in clear.
    for (const k of ['firstName', 'lastName', 'dateOfBirth', 'email', 'source'] as const)
      if (containsBsn(cell(k)))
        problem(k, 'Hier staat een burgerservicenummer (BSN). Zet een BSN alleen in de kolom BSN.');
    if (problems.length > before) continue;

    const name = (k: 'firstName' | 'lastName', what: string) => {
      const v = cell(k);
      if (v === '') problem(k, `Vul de ${what} in.`);
      // eslint-disable-next-line no-control-regex -- the Text schema's rule: no control characters
      else if (v.length > 100 || /[\u0000-\u001f]/.test(v)) problem(k, 'Gebruik hoogstens 100 gewone tekens.');
      return v;
    };
    const firstName = name('firstName', 'voornaam');
    const lastName = name('lastName', 'achternaam');
    const dateCell = cell('dateOfBirth');
    const dateOfBirth = readBirthDate(dateCell);
    if (dateCell === '') problem('dateOfBirth', 'Vul de geboortedatum in, bijvoorbeeld 2-3-1994.');
    else if (dateOfBirth === undefined)
      problem('dateOfBirth', `${quoted(dateCell)} is geen bestaande datum. Schrijf dag-maand-jaar, zoals 2-3-1994.`);
    else if (dateOfBirth < '1900-01-01' || dateOfBirth > today)
      problem('dateOfBirth', `${quoted(dateCell)} kan geen geboortedatum zijn: kijk het jaar na.`);
    const email = cell('email');
    if (email !== '' && (!EMAIL.test(email) || email.length > 254))
      problem('email', `${quoted(email)} is geen geldig e-mailadres. Vul een adres in zoals naam@voorbeeld.nl.`);
    const bsn = cell('bsn').replace(/[\s.-]/g, '');
    let sourceId: string | undefined;
    const sourceCell = cell('source');
    if (sourceCell !== '') {
      const found = sources.filter((s) => norm(s.id) === norm(sourceCell) || norm(s.name) === norm(sourceCell));
      if (found.length === 1) sourceId = found[0]!.id;
      else
        problem(
          'source',
          `Onbekende aanleveraar ${quoted(sourceCell)}: geen gemeente of UWV waarmee uw programmabureau werkt.`,
        );
    }
    rows.push({
      line: row.line,
      firstName,
      lastName,
      ...(dateOfBirth ? { dateOfBirth } : {}),
      ...(email && EMAIL.test(email) ? { email } : {}),
      // The elfproef is the round's one check (checkCandidates); a BSN that passes is hashed here and forgotten.
      ...(bsn === ''
        ? {}
        : isBsn(bsn)
          ? { bsnHash: bsnHash(deps.config.BSN_HMAC_KEY, bsn) }
          : { bsnFailsElfproef: true }),
      ...(sourceId ? { sourceId } : {}),
    });
  }

  const near: UploadNearMatch[] = [];
  const findings = await checkCandidates(deps, o.round, rows as CandidateEntry[]);
  for (const f of findings) {
    const p = sheetProblem(f, rows);
    if (p) problems.push({ line: rows[f.index]!.line, ...p });
    else if (f.kind === 'in_round') near.push({ index: f.index, other: { kind: 'round', ...f.other } });
    else if (f.kind === 'in_list') near.push({ index: f.index, other: { kind: 'row', index: f.other } });
  }
  const order = (c: string) => CANDIDATE_COLUMNS.findIndex((x) => x.header === c);
  problems.sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
  if (problems.length) return { ...none, problems };
  return { entries: rows.map(({ bsnFailsElfproef: _, ...e }) => e), near, problems: [] };
}

/** A finding of the round's check as a spreadsheet's problem; undefined for a near match (a person decides). */
function sheetProblem(
  f: CandidateFinding,
  rows: { line: number; bsnHash?: string }[],
): { column: string; message: string } | undefined {
  const byBsn = (other?: { bsnHash?: string }) => !!rows[f.index]!.bsnHash && !!other?.bsnHash;
  switch (f.kind) {
    case 'bsn_elfproef':
      return {
        column: 'BSN',
        message: 'Dit is geen geldig BSN: het moet negen cijfers hebben en de elfproef doorstaan.',
      };
    case 'unknown_source':
      return {
        column: 'Aangeleverd door',
        message: 'Dit is geen gemeente of UWV waarmee uw programmabureau werkt.',
      };
    case 'running':
      return { column: 'BSN', message: 'Deze persoon doet al mee aan een lopend traject van dit programma.' };
    case 'in_round':
      if (f.match === 'near') return undefined;
      return {
        column: rows[f.index]!.bsnHash ? 'BSN' : 'Achternaam',
        message: `Deze persoon staat al in deze ronde als ${f.other.reference}.`,
      };
    case 'in_list':
      if (f.match === 'near') return undefined;
      return {
        column: byBsn(rows[f.other]) ? 'BSN' : 'Achternaam',
        message: `Dubbel: rij ${rows[f.other]!.line} is dezelfde persoon.`,
      };
  }
}
