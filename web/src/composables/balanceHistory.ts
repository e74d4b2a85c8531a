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
 * The first point is the balance just before the oldest movement, so even one movement draws a line.
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
  const oldest = newestFirst.at(-1);
  if (oldest) points.push({ at: oldest.createdAt, subsidyFen: subsidy, ownFen: own, spendableFen: subsidy + own });
  return points.reverse();
}
