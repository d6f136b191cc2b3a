// Small-cell suppression for figures funders see: a count of 1 to 4 people is not shown (null), and a
// group whose total is shown never has exactly one hidden cell, or the total minus the rest would give it
// away; a hidden total hides everything counted within it.
export const MIN_CELL = 5;

export type Cells = Record<string, number>;
export type Shown = Record<string, number | null>;

const small = (n: number) => n > 0 && n < MIN_CELL;

/** Suppresses one group of cells that add up to `total` (null when the total itself is hidden). */
export function suppressGroup(cells: Cells, total: number | null): Shown {
  if (total === null) return Object.fromEntries(Object.keys(cells).map((k) => [k, null]));
  const hidden = new Set(Object.keys(cells).filter((k) => small(cells[k]!)));
  if (hidden.size === 1) {
    // The second-smallest non-zero cell goes too, so the first cannot be worked out from the total.
    const next = Object.keys(cells)
      .filter((k) => !hidden.has(k) && cells[k]! > 0)
      .sort((a, b) => cells[a]! - cells[b]! || a.localeCompare(b))[0];
    if (next) hidden.add(next);
  }
  return Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, hidden.has(k) ? null : v]));
}

/** A total on its own: hidden when it counts 1 to 4 people. */
export const suppressTotal = (n: number): number | null => (small(n) ? null : n);

/**
 * Suppresses a group that counts a part of other, shown counts (praktijkverklaringen within the outcomes they
 * followed): besides the group's own rules, a shown part never leaves a small rest of its shown whole (whole minus
 * part of 1 to 4 people, who would be the ones without), and the group's total not of the wholes' sum.
 */
export function suppressPart(part: Cells, whole: Cells, shownWhole: Shown): { total: number | null; cells: Shown } {
  const sum = (c: Cells) => Object.values(c).reduce((a, b) => a + b, 0);
  let total = suppressTotal(sum(part));
  const keys = Object.keys(part);
  if (total !== null && keys.every((k) => shownWhole[k] !== null) && small(sum(whole) - total)) total = null;
  const cells = suppressGroup(part, total);
  for (let changed = true; changed;) {
    changed = false;
    for (const k of keys)
      if (cells[k] !== null && shownWhole[k] !== null && small((whole[k] ?? 0) - part[k]!)) {
        cells[k] = null;
        changed = true;
      }
    const hidden = keys.filter((k) => cells[k] === null && part[k]! > 0);
    if (changed && total !== null && hidden.length === 1) {
      const next = keys
        .filter((k) => cells[k] !== null && part[k]! > 0)
        .sort((a, b) => part[a]! - part[b]! || a.localeCompare(b))[0];
      if (next) cells[next] = null;
    }
  }
  return { total, cells };
}
