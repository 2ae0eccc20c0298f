import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvNumber, toCsv } from '../../src/domain/money/csv.ts';
import { feeAmount, feeMultiplier, formatMajor, parseMajor, toMinorUnits } from '../../src/domain/money/rules.ts';

describe('money rules', () => {
  it('keeps amounts as whole minor units, never floats', () => {
    expect(toMinorUnits(19.99)).toBe(1999);
    expect(toMinorUnits(0.1 + 0.2)).toBe(30);
    // 19.99 × 1.25 = 24.9875: rounded half up to a cent.
    expect(feeAmount(toMinorUnits(19.99), 1.25)).toBe(2499);
    expect(feeAmount(3000, 1.25)).toBe(3750);
    // In floats 50 × 1.15 = 57.49999999999999; the fee is computed in integers: 57.5 → 58.
    expect(50 * 1.15).toBeLessThan(57.5);
    expect(feeAmount(50, 1.15)).toBe(58);
    expect(feeAmount(1, 1.5)).toBe(2);
    expect(feeAmount(9_999_999_999, 10)).toBe(99_999_999_990);
    expect(feeAmount(3000, 0)).toBe(0);
    for (const v of [feeAmount(1999, 1.25), feeAmount(1, 1.5), feeAmount(333, 1.1)]) expect(Number.isInteger(v)).toBe(true);
  });

  it('multiplies the rate by the outcome: 0 unsolved, 1 solved, the top band from its score', () => {
    const fees = { topBandFrom: 4.5, topBandMultiplier: 1.25 };
    expect(feeMultiplier(false, 5, fees)).toBe(0);
    expect(feeMultiplier(true, 4.49, fees)).toBe(1);
    expect(feeMultiplier(true, 4.5, fees)).toBe(1.25);
  });

  it('formats and parses major units from text', () => {
    expect(formatMajor(3999)).toBe('39.99');
    expect(formatMajor(-1250)).toBe('-12.50');
    expect(formatMajor(5)).toBe('0.05');
    expect(formatMajor(0)).toBe('0.00');
    expect(parseMajor('-12.50')).toBe(-1250);
    expect(parseMajor('40')).toBe(4000);
    expect(parseMajor('0.5')).toBe(50);
    expect(parseMajor('19.99')).toBe(1999);
    for (const bad of ['12.345', '1e3', '', '-', '12,50', '+5', 'abc', '.5']) expect(parseMajor(bad), bad).toBeUndefined();
  });

  it('writes CSV that parses back, with formula-like text neutralised', () => {
    const csv = toCsv(['name', 'amount'], [
      ['Bob, the "Builder"', csvNumber('-12.50')],
      ['=HYPERLINK("http://x")', csvNumber('1.00')],
      ['+1 555', csvNumber(0)],
      ['-2+3', null],
      ['@SUM(A1)', csvNumber('2.00')],
      ['two\nlines', csvNumber('3.00')],
    ]);
    expect(parse(csv, { columns: true })).toEqual([
      { name: 'Bob, the "Builder"', amount: '-12.50' },
      { name: `'=HYPERLINK("http://x")`, amount: '1.00' },
      { name: "'+1 555", amount: '0' },
      { name: "'-2+3", amount: '' },
      { name: "'@SUM(A1)", amount: '2.00' },
      { name: 'two\nlines', amount: '3.00' },
    ]);
  });
});
