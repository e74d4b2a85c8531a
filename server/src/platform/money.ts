/**
 * Money is integer fen (分) everywhere; yuan strings exist only at the edges (forms, files, screens).
 * Parsing is done on the digits, never through floating point, so "0.1" + "0.2" is 30 fen exactly.
 */

/** The largest amount we accept anywhere: ¥90,000,000,000,000.00 still fits a JS integer exactly. */
export const MAX_FEN = Number.MAX_SAFE_INTEGER;

export class MoneyFormatError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${input}" is not an amount of money: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

const AMOUNT = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/**
 * Parses a yuan amount such as "12.50", "¥1,234.5", "-3", "0.07" into fen.
 * Refuses more than two decimals (12.505), empty input, and anything not a plain decimal.
 */
export function parseYuan(input: string): number {
  // The sign may stand before the currency symbol, as formatFen writes it: "-¥0.05".
  const text = input
    .trim()
    .replace(/^([+-]?)\s*[¥￥]/, '$1')
    .replace(/元$/, '')
    .trim();
  const match = AMOUNT.exec(text);
  if (!text || !match || (match[2] === undefined && !match[3])) {
    throw new MoneyFormatError(input, 'expected a number such as 12.50');
  }
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > 2) throw new MoneyFormatError(input, 'no more than two decimal places (fen)');
  const fen = BigInt(whole.replaceAll(',', '')) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  if (fen > BigInt(MAX_FEN)) throw new MoneyFormatError(input, 'too large');
  const value = Number(fen);
  return sign === '-' && value !== 0 ? -value : value;
}

/** Formats fen as yuan: 1250 → "¥12.50", -5 → "-¥0.05". `symbol: false` gives "12.50". */
export function formatFen(fen: number, options: { symbol?: boolean; grouping?: boolean } = {}): string {
  assertFen(fen);
  const { symbol = true, grouping = false } = options;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toString();
  const whole = grouping ? yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : yuan;
  const text = `${symbol ? '¥' : ''}${whole}.${(abs % 100).toString().padStart(2, '0')}`;
  return fen < 0 ? `-${text}` : text;
}

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: number): void {
  if (!isFen(value)) throw new TypeError(`${value} is not a whole number of fen`);
}
