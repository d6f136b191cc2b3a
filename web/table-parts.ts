// Table pieces the pages share: a data cell, a header row, a table that scrolls on a phone, and the problems of
// an uploaded spreadsheet by row and column (the cohort launch and the candidate list read files the same way).
import { html, type Html } from './html';

export const cell = (content: Html | string | number) => html`<td class="utrecht-table__cell">${content}</td>`;

export const headerCells = (names: string[]) =>
  html`<thead class="utrecht-table__header">
    <tr class="utrecht-table__row">
      ${names.map((n) => html`<th class="utrecht-table__header-cell" scope="col">${n}</th>`)}
    </tr>
  </thead>`;

/** A table in a scroll container a keyboard can reach, so it fits a phone. */
export const scrollTable = (label: string, table: Html) =>
  html`<div class="table-scroll" tabindex="0" role="region" aria-label="${label}">${table}</div>`;

/** An upload's problems: an alert saying nothing was done (`nothingDone`), then each problem by row and column. */
export function sheetProblems(problems: { line: number; column: string; message: string }[], nothingDone: string) {
  if (problems.length === 0) return '';
  return html`<div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="fouten-kop">
      <h2 class="utrecht-heading-2" id="fouten-kop">
        ${problems.length === 1 ? 'Er is 1 fout' : `Er zijn ${problems.length} fouten`} in het bestand
      </h2>
      <p class="utrecht-paragraph">${nothingDone}</p>
    </div>
    ${scrollTable(
      'Fouten per rij',
      html`<table class="utrecht-table" id="fouten">
        <caption class="utrecht-table__caption">
          Fouten per rij en kolom
        </caption>
        ${headerCells(['Rij', 'Kolom', 'Wat er niet klopt'])}
        <tbody class="utrecht-table__body">
          ${problems.map(
            (p) =>
              html`<tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">${p.line}</th>
                ${cell(p.column)} ${cell(p.message)}
              </tr>`,
          )}
        </tbody>
      </table>`,
    )}`;
}
