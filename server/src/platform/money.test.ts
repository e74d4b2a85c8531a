import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyFormatError, formatFen, parseYuan } from './money.ts';

describe('parseYuan', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['0.07', 7],
    ['.5', 50],
    ['¥1,234.56', 123456],
    ['￥3元', 300],
    ['  8.00 ', 800],
    ['-3.20', -320],
    ['-0', 0],
    ['12.', 1200],
  ])('reads %j as %i fen', (input, fen) => {
    expect(parseYuan(input)).toBe(fen);
  });

  it.each(['12.505', '0.001', '', '¥', 'abc', '1e3', '1,23.00', '--1', 'NaN', 'Infinity', '12,5', '.'])(
    'refuses %j',
    (input) => {
      expect(() => parseYuan(input)).toThrow(MoneyFormatError);
    },
  );

  it('never goes through floating point: 0.1 + 0.2 is 30 fen', () => {
    expect(parseYuan('0.1') + parseYuan('0.2')).toBe(parseYuan('0.3'));
  });

  it('refuses amounts past the safe integer range instead of rounding them', () => {
    expect(() => parseYuan('900719925474099.92')).toThrow(/too large/);
  });
});

describe('formatFen', () => {
  it.each([
    [1250, '¥12.50'],
    [5, '¥0.05'],
    [-5, '-¥0.05'],
    [0, '¥0.00'],
    [123456789, '¥1234567.89'],
  ])('shows %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('groups thousands when asked, and leaves the symbol off when asked', () => {
    expect(formatFen(123456789, { grouping: true })).toBe('¥1,234,567.89');
    expect(formatFen(1250, { symbol: false })).toBe('12.50');
  });

  it('refuses fractions of a fen', () => {
    expect(() => formatFen(12.5)).toThrow(TypeError);
  });
});

describe('round trip (property)', () => {
  const fen = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

  it('parse(format(x)) === x for every whole number of fen', () => {
    fc.assert(fc.property(fen, (x) => parseYuan(formatFen(x)) === x));
    fc.assert(fc.property(fen, (x) => parseYuan(formatFen(x, { grouping: true, symbol: false })) === x));
  });

  it('adding parsed amounts equals parsing the decimal sum', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (a, b) => {
        const sum = parseYuan(formatFen(a, { symbol: false })) + parseYuan(formatFen(b, { symbol: false }));
        return sum === a + b;
      }),
    );
  });

  it('refuses any amount with three or more decimals that are not zeros', () => {
    fc.assert(
      fc.property(fc.nat(99999), fc.integer({ min: 1, max: 9 }), fc.nat(99), (whole, last, mid) => {
        const text = `${whole}.${mid.toString().padStart(2, '0')}${last}`;
        return (() => {
          try {
            parseYuan(text);
            return false;
          } catch (error) {
            return error instanceof MoneyFormatError;
          }
        })();
      }),
    );
  });
});
