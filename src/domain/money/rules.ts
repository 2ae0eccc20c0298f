/**
 * Money rules (docs/money.md). Amounts are integers of minor units (cents) beside a
 * currency code; rates in the routing file are major units with at most two decimals.
 */

/** A major-unit amount (39.99) in minor units (3999); rounds away the float's noise. */
export const toMinorUnits = (major: number): number => Math.round(major * 100);

/** Minor units as major units with two decimals ("39.99", "-5.00"), as exports write them. */
export function formatMajor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface FeeSettings {
  topBandFrom: number;
  topBandMultiplier: number;
}

/**
 * What the category's expert rate is multiplied by for a closed ticket: nothing when the
 * customer says the problem was not solved, the rate when it was, and the top band's
 * multiplier for an expert whose score (as of this survey) is in the top band.
 */
export function feeMultiplier(solved: boolean, score: number, fees: FeeSettings): number {
  if (!solved) return 0;
  return score >= fees.topBandFrom ? fees.topBandMultiplier : 1;
}

/** Multipliers are taken to this many decimals (1.25, 1.1 and 0.333333 exactly). */
const MULTIPLIER_SCALE = 1_000_000n;

/**
 * The fee in minor units: the rate times the multiplier, rounded half up to a whole cent.
 * Computed in integers (the multiplier as millionths): in floats 50 × 1.15 is
 * 57.49999999999999 and would round down, where 57.5 rounds up to 58.
 */
export function feeAmount(expertRateMinor: number, multiplier: number): number {
  if (!Number.isSafeInteger(expertRateMinor) || expertRateMinor < 0) throw new Error(`rate ${expertRateMinor} is not a whole, non-negative number of minor units`);
  if (!(multiplier >= 0)) throw new Error(`multiplier ${multiplier} is not 0 or more`);
  const scaled = BigInt(expertRateMinor) * BigInt(Math.round(multiplier * Number(MULTIPLIER_SCALE)));
  return Number((scaled * 2n + MULTIPLIER_SCALE) / (2n * MULTIPLIER_SCALE));
}

/**
 * An amount typed by a person in major units ("-12.50", "40", "0.5") as minor units,
 * read from the text (never through a float); undefined unless it is an optional minus,
 * up to 9 digits, and at most two decimals.
 */
export function parseMajor(text: string): number | undefined {
  const m = /^(-?)(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -minor : minor;
}
