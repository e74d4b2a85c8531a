/**
 * Money on screen. Amounts travel as integer fen (分) and are only turned into yuan text here, on the
 * digits, never through floating point (DESIGN §4): the one place the web apps format or parse money.
 */

/** 1250 → "¥12.50", -5 → "-¥0.05", 123456789 → "¥1,234,567.89". `sign: true` writes "+" on gains. */
export function formatFen(fen: number, options: { symbol?: boolean; sign?: boolean } = {}): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`${fen} is not a whole number of fen`);
  const { symbol = true, sign = false } = options;
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${symbol ? '¥' : ''}${whole}.${(abs % 100).toString().padStart(2, '0')}`;
  if (fen < 0) return `-${text}`;
  return sign && fen > 0 ? `+${text}` : text;
}

const YUAN = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/;

/**
 * What a cashier types, in yuan ("50", "50.5", "¥1,200.00"), as fen; null when it is not an amount
 * with at most two decimals. Negative amounts are not typed at a counter.
 */
export function parseYuan(input: string): number | null {
  const text = input
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/元$/, '')
    .trim();
  const match = YUAN.exec(text);
  if (!text || !match || (match[1] === undefined && !match[2])) return null;
  const [, whole = '0', fraction = ''] = match;
  const fen = BigInt(whole.replaceAll(',', '')) * 100n + BigInt(fraction.padEnd(2, '0'));
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen);
}

export interface MoneyLimits {
  /** The least accepted, in fen (1 unless zero is a meaningful amount, as for a limit). */
  minFen?: number;
  /** The most accepted, in fen: a channel's limit, or what the person has. */
  maxFen?: number | null;
}

export type MoneyCheck =
  | { fen: number; problem: null }
  | { fen: null; problem: 'empty' | 'invalid' }
  | { fen: null; problem: 'below'; limitFen: number }
  | { fen: null; problem: 'above'; limitFen: number };

/** What a typed amount is worth in fen, or why it cannot be taken. */
export function checkYuan(input: string, { minFen = 1, maxFen = null }: MoneyLimits = {}): MoneyCheck {
  if (!input.trim()) return { fen: null, problem: 'empty' };
  const fen = parseYuan(input);
  if (fen === null) return { fen: null, problem: 'invalid' };
  if (fen < minFen) return { fen: null, problem: 'below', limitFen: minFen };
  if (maxFen !== null && fen > maxFen) return { fen: null, problem: 'above', limitFen: maxFen };
  return { fen, problem: null };
}

/** Fen as a person would type them back: 50050 → "500.50" (no symbol, no thousands separators). */
export function fenAsTyped(fen: number): string {
  return formatFen(fen, { symbol: false }).replaceAll(',', '');
}
