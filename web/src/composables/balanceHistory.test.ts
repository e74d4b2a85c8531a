import { describe, expect, it } from 'vitest';
import { balanceHistory } from './balanceHistory.ts';

describe('balanceHistory', () => {
  it('works back from today to the balance before the oldest movement and after each one, oldest first', () => {
    const points = balanceHistory({ subsidyFen: 30000, ownFen: 4500 }, [
      { createdAt: '2026-03-03T04:00:00Z', subsidyFen: -500, ownFen: 0 },
      { createdAt: '2026-03-02T04:00:00Z', subsidyFen: 0, ownFen: 4500 },
      { createdAt: '2026-03-01T04:00:00Z', subsidyFen: 30500, ownFen: 0 },
    ]);
    expect(points.map((p) => [p.at.slice(0, 10), p.subsidyFen, p.ownFen, p.spendableFen])).toEqual([
      ['2026-03-01', 0, 0, 0],
      ['2026-03-01', 30500, 0, 30500],
      ['2026-03-02', 30500, 4500, 35000],
      ['2026-03-03', 30000, 4500, 34500],
    ]);
  });

  it('has no points without movements', () => {
    expect(balanceHistory({ subsidyFen: 0, ownFen: 0 }, [])).toEqual([]);
  });
});
