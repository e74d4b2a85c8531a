import { describe, expect, it } from 'vitest';
import { checkYuan, fenAsTyped, formatFen, parseYuan } from './money.ts';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [1250, '¥12.50'],
    [-5, '-¥0.05'],
    [123456789, '¥1,234,567.89'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('writes a plus on gains when asked, and no symbol when asked', () => {
    expect(formatFen(30000, { sign: true })).toBe('+¥300.00');
    expect(formatFen(-30000, { sign: true })).toBe('-¥300.00');
    expect(formatFen(30000, { symbol: false })).toBe('300.00');
  });

  it('refuses a fraction of a fen', () => {
    expect(() => formatFen(0.5)).toThrow(TypeError);
  });
});

describe('parseYuan', () => {
  it.each([
    ['50', 5000],
    ['50.5', 5050],
    ['0.07', 7],
    ['.3', 30],
    ['¥1,200.00', 120000],
    ['100元', 10000],
    [' 0.10 ', 10],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it('adds 0.1 and 0.2 yuan exactly, on the digits', () => {
    expect((parseYuan('0.1') ?? 0) + (parseYuan('0.2') ?? 0)).toBe(parseYuan('0.3'));
  });

  it.each(['', 'abc', '12.345', '-5', '1,2', '1e3', '.'])('refuses %j', (text) => {
    expect(parseYuan(text)).toBeNull();
  });
});

describe('checkYuan', () => {
  it.each([
    { typed: '', limits: {}, check: { fen: null, problem: 'empty' } },
    { typed: '12.345', limits: {}, check: { fen: null, problem: 'invalid' } },
    { typed: '0', limits: {}, check: { fen: null, problem: 'below', limitFen: 1 } },
    { typed: '0', limits: { minFen: 0 }, check: { fen: 0, problem: null } },
    { typed: '0.99', limits: { minFen: 100 }, check: { fen: null, problem: 'below', limitFen: 100 } },
    { typed: '5000', limits: { minFen: 100, maxFen: 500_000 }, check: { fen: 500_000, problem: null } },
    { typed: '5000.01', limits: { maxFen: 500_000 }, check: { fen: null, problem: 'above', limitFen: 500_000 } },
    { typed: '30.5', limits: { maxFen: null }, check: { fen: 3050, problem: null } },
  ])('takes $typed with $limits as $check', ({ typed, limits, check }) => {
    expect(checkYuan(typed, limits)).toEqual(check);
  });
});

describe('fenAsTyped', () => {
  it.each([
    [50050, '500.50'],
    [0, '0.00'],
    [123456789, '1234567.89'],
  ])('writes %i fen as %s', (fen, text) => {
    expect(fenAsTyped(fen)).toBe(text);
    expect(parseYuan(text)).toBe(fen);
  });
});
