// Spreadsheets as a Dutch office uses them: writing xlsx (exceljs) and CSV the way Dutch Excel opens it in
// columns (semicolons, a byte-order mark, a decimal comma, CRLF), and reading back what people upload: xlsx, or
// CSV as Dutch Excel saves it (semicolons; Windows-1252 or UTF-8 with or without a byte-order mark). Every list a
// page offers as a download goes through here, so each export looks the same.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import iconv from 'iconv-lite';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
  /** Characters wide in the xlsx; 16 when not given. */
  width?: number;
}

export interface Sheet<Row> {
  /** The tab's name in the xlsx (at most 31 characters, Excel's limit). */
  name: string;
  columns: Column<Row>[];
  rows: readonly Row[];
}

/** A sheet of any kind of row, for a workbook of several (a Column's row type is contravariant). */
export const sheetOf = <Row>(sheet: Sheet<Row>) => sheet as unknown as Sheet<unknown>;

/** An xlsx workbook: one tab per sheet (see `sheetOf`), a bold frozen header row, numbers as numbers. */
export async function xlsxOf(...sheets: Sheet<unknown>[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Toeleiding';
  for (const sheet of sheets) {
    const tab = book.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    tab.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    tab.getRow(1).font = { bold: true };
    for (const row of sheet.rows) tab.addRow(sheet.columns.map((c) => c.value(row) ?? null));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A number as Dutch Excel reads it: 12,5 (a decimal comma, no thousands separator). */
const dutchNumber = (n: number) => String(n).replace('.', ',');

/**
 * Text a spreadsheet would run as a formula (CSV injection: a name someone typed, such as `=HYPERLINK(…)`): a
 * cell starting with = + - @, a tab or a carriage return gets a leading apostrophe, as OWASP advises, so Excel
 * shows it as text. Only text: a number (also a negative one) stays a number.
 */
export const inertText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/**
 * CSV for Dutch Excel: semicolon-separated, UTF-8 with a byte-order mark (else Excel guesses 1252), CRLF; text
 * that would start a formula made inert (`inertText`), headers too.
 */
export function dutchCsvOf<Row>(columns: Column<Row>[], rows: readonly Row[]): string {
  const cells = (row: Row) =>
    columns.map((c) => {
      const v = c.value(row);
      return typeof v === 'number' ? dutchNumber(v) : inertText(v ?? '');
    });
  return (
    '\ufeff' +
    stringify([columns.map((c) => inertText(c.header)), ...rows.map(cells)], {
      delimiter: ';',
      record_delimiter: 'windows',
    })
  );
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers with a download: `name` without extension; the file is `name.xlsx` or `name.csv`. */
export function sendDownload(reply: FastifyReply, name: string, file: { xlsx: Buffer } | { csv: string }) {
  const [type, ext, body] =
    'xlsx' in file ? [XLSX_TYPE, 'xlsx', file.xlsx] : ['text/csv; charset=utf-8', 'csv', file.csv];
  return reply
    .type(type)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]+/g, '-')}.${ext}"`)
    .send(body);
}

/** An uploaded sheet: the header row and the rows below it, every cell as trimmed text. */
export interface UploadedSheet {
  headers: string[];
  /** Each row's cells by column; `line` is the row number a person sees in Excel (the header is row 1). */
  rows: { line: number; cells: string[] }[];
}

export class UnreadableSheet extends Error {}

/** Beyond any list a page takes (a cohort: 500 rows): a larger sheet is refused before it is read. */
const MAX_SHEET_ROWS = 10_000;
const MAX_SHEET_COLUMNS = 100;

const isXlsx = (bytes: Buffer) => bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50; // a zip file

/** UTF-8 when the bytes are valid UTF-8 (with or without a byte-order mark), else Windows-1252. */
function decodeText(bytes: Buffer): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const utf8 = !text.includes('\ufffd');
  return (utf8 ? text : iconv.decode(bytes, 'win1252')).replace(/^\ufeff/, '');
}

/** A cell as a person typed it: dates as yyyy-mm-dd, numbers without exponent, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    return '';
  }
  return String(value);
}

/** Reads the first sheet of an xlsx, or a CSV (semicolon, comma or tab separated). */
export async function readSheet(bytes: Buffer): Promise<UploadedSheet> {
  let table: string[][];
  if (isXlsx(bytes)) {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw new UnreadableSheet('Het bestand is geen leesbaar Excel-bestand.');
    }
    const tab = book.worksheets[0];
    if (!tab) throw new UnreadableSheet('Het Excel-bestand heeft geen werkblad.');
    // One cell far out (XFD1048576) makes a tiny file a sheet of billions of cells: refuse it before walking it.
    if (tab.rowCount > MAX_SHEET_ROWS || tab.columnCount > MAX_SHEET_COLUMNS)
      throw new UnreadableSheet(
        `Het werkblad is te groot: hoogstens ${MAX_SHEET_ROWS} rijen en ${MAX_SHEET_COLUMNS} kolommen. ` +
          'Staat er iets ver buiten de tabel? Haal dat weg en probeer het opnieuw.',
      );
    table = [];
    tab.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      for (let c = 1; c <= tab.columnCount; c++) cells.push(cellText(row.getCell(c).value).trim());
      table[n - 1] = cells;
    });
    table = Array.from(table, (r) => r ?? []);
  } else {
    const text = decodeText(bytes);
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = [';', '\t', ','].reduce((best, d) =>
      firstLine.split(d).length > firstLine.split(best).length ? d : best,
    );
    try {
      table = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true });
    } catch {
      throw new UnreadableSheet('Het CSV-bestand is niet te lezen: controleer de aanhalingstekens.');
    }
  }
  const [headers = [], ...rest] = table;
  return {
    headers: headers.map((h) => h.trim()),
    rows: rest
      .map((cells, i) => ({ line: i + 2, cells: cells.map((c) => c.trim()) }))
      .filter((r) => r.cells.some((c) => c !== '')),
  };
}
