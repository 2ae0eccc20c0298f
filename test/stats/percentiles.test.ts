import { describe, expect, it } from 'vitest';
import { medianAndP90, percentile } from '../../src/domain/stats/percentiles.ts';

describe('nearest-rank percentiles', () => {
  it('are null for no values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(medianAndP90([])).toEqual({ median: null, p90: null });
  });

  it('are the one value for one value', () => {
    expect(medianAndP90([7])).toEqual({ median: 7, p90: 7 });
    expect(percentile([7], 1)).toBe(7);
  });

  it('take the value at rank ⌈p·n⌉ of the sorted values, whatever their order', () => {
    const values = [50, 10, 40, 20, 30];
    // n = 5: the median is rank ⌈2.5⌉ = 3, the 90th rank ⌈4.5⌉ = 5.
    expect(medianAndP90(values)).toEqual({ median: 30, p90: 50 });
    expect(percentile(values, 20)).toBe(10);
    expect(percentile(values, 21)).toBe(20);
    expect(percentile(values, 100)).toBe(50);
    expect(values).toEqual([50, 10, 40, 20, 30]);
  });

  it('give the lower middle value as the median of an even count', () => {
    expect(medianAndP90([4, 1, 3, 2])).toEqual({ median: 2, p90: 4 });
  });

  it('do not round a whole rank up past itself (0.9 · 10 = 9)', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 90)).toBe(9);
    expect(medianAndP90(ten)).toEqual({ median: 5, p90: 9 });
    // 0.9 · 20 = 18 exactly; 0.9 · 11 = 9.9 rounds up to 10.
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 90)).toBe(18);
    expect(percentile(Array.from({ length: 11 }, (_, i) => i + 1), 90)).toBe(10);
  });

  it('sort numerically, not as text', () => {
    expect(medianAndP90([100, 9, 20])).toEqual({ median: 20, p90: 100 });
  });

  it('refuse a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});
