// Small-cell suppression: no count of 1 to 4 people is shown, and none can be worked out from a total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_CELL, suppressGroup, suppressTotal } from '../domain/suppression';

describe('small-cell suppression', () => {
  it('hides 1 to 4, shows 0 and 5 or more', () => {
    expect(suppressGroup({ a: 0, b: 3, c: 12, d: 7 }, 22)).toEqual({ a: 0, b: null, c: 12, d: null });
    expect(suppressTotal(4)).toBeNull();
    expect(suppressTotal(0)).toBe(0);
    expect(suppressGroup({ a: 9, b: 6 }, null)).toEqual({ a: null, b: null });
  });

  it('never leaves a hidden cell that the total and the shown cells give away (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.nat({ max: 40 }), { minKeys: 1, maxKeys: 8 }),
        (cells) => {
          const total = suppressTotal(Object.values(cells).reduce((a, b) => a + b, 0));
          const shown = suppressGroup(cells, total);
          const hidden = Object.keys(cells).filter((k) => shown[k] === null);
          // Every shown cell is 0 or at least MIN_CELL, and is the true count.
          for (const [k, v] of Object.entries(shown))
            if (v !== null) {
              expect(v === 0 || v >= MIN_CELL).toBe(true);
              expect(v).toBe(cells[k]);
            }
          // Under a shown total, hidden cells that are not zero: none, or at least two, so the remainder is shared, not
          // exact.
          const hiddenNonZero = hidden.filter((k) => cells[k]! > 0);
          if (total !== null) expect(hiddenNonZero.length === 0 || hiddenNonZero.length >= 2).toBe(true);
          else expect(hidden.length).toBe(Object.keys(cells).length);
        },
      ),
      { numRuns: 2000, seed: 20261123 },
    );
  });
});
