import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/lib/plain-text.ts';

describe('toPlainText', () => {
  it('drops NUL and other control characters, keeps tabs, line breaks and format marks', () => {
    expect(toPlainText('a\u0000b\u0007c\td\r\ne\rf\u200Fg\u200Dh\u202Ei')).toBe('abc\td\ne\nf\u200Fg\u200Dh\u202Ei');
  });

  it('turns a lone surrogate into U+FFFD and keeps pairs', () => {
    expect(toPlainText('x\uD83D y \uDE00 z 😀')).toBe('x\uFFFD y \uFFFD z 😀');
  });

  it('gives well-formed text that survives UTF-8 unchanged, and is idempotent, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const plain = toPlainText(s);
        expect(Buffer.from(plain, 'utf8').toString('utf8')).toBe(plain);
        expect(toPlainText(plain)).toBe(plain);
        expect(plain.includes('\u0000') || plain.includes('\r')).toBe(false);
      }),
    );
  });
});
