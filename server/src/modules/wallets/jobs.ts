// The wallets' scheduled jobs (platform/scheduler.ts runs each once per slot across all instances).
import { systemActor } from '../../platform/audit.ts';
import { monthly, type Job } from '../../platform/scheduler.ts';
import type { ClosingService } from './closing.ts';

/** The month a 清零 slot closes: the slot is the 1st of the month after it. */
function monthBefore(firstDay: string): string {
  const [year, month] = firstDay.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

export function walletJobs(closing: ClosingService, hospitalIds: () => Promise<number[]>, timeZone: string): Job[] {
  return [
    {
      // 清零: on the 1st, shortly after local midnight, the previous month's unspent subsidy expires. Every
      // month must: a server that was down on the 1st expires each missed month when it is back, in order.
      name: 'ledger.expire-subsidies',
      schedule: monthly('00:05', timeZone),
      catchUp: 'every',
      run: async (slot) => {
        const month = monthBefore(slot);
        const results = [];
        for (const hospitalId of await hospitalIds()) {
          const r = await closing.expireSubsidies(null, { hospitalId, month }, systemActor);
          results.push(`hospital ${hospitalId}: ${r.purses} purses, ${r.totalFen} fen`);
        }
        return `${month}: ${results.join('; ')}`;
      },
    },
  ];
}
