import type { StatementItem } from '@canteen/server/api';

export interface BalancePoint {
  at: string;
  /** What the person could spend (subsidy + own funds) right after this movement. */
  spendableFen: number;
  subsidyFen: number;
  ownFen: number;
}

/**
 * The balance after each movement, oldest first, worked back from today's balance through the
 * statement's changes (newest first): integer fen all the way, so the last point is today's balance.
 */
export function balanceHistory(
  now: { subsidyFen: number; ownFen: number },
  newestFirst: Pick<StatementItem, 'createdAt' | 'subsidyFen' | 'ownFen'>[],
): BalancePoint[] {
  let subsidy = now.subsidyFen;
  let own = now.ownFen;
  const points: BalancePoint[] = [];
  for (const item of newestFirst) {
    points.push({ at: item.createdAt, subsidyFen: subsidy, ownFen: own, spendableFen: subsidy + own });
    subsidy -= item.subsidyFen;
    own -= item.ownFen;
  }
  return points.reverse();
}
