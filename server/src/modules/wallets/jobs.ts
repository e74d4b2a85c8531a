// The wallets' scheduled jobs (platform/scheduler.ts runs each once per slot across all instances).
import { systemActor } from '../../platform/audit.ts';
import { localDay } from '../../platform/clock.ts';
import { daily, type Job } from '../../platform/scheduler.ts';
import type { ClosingService } from './closing.ts';

export function walletJobs(closing: ClosingService, hospitalIds: () => Promise<number[]>, timeZone: string): Job[] {
  return [
    {
      // 清零: on the 1st, shortly after local midnight, the previous month's unspent subsidy expires.
      name: 'ledger.expire-subsidies',
      slotAt: (now) => {
        const day = daily('00:05', timeZone)(now);
        return day?.endsWith('-01') ? day : null;
      },
      run: async (now) => {
        const [year, month] = localDay(now, timeZone).split('-').map(Number) as [number, number];
        const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
        const results = [];
        for (const hospitalId of await hospitalIds()) {
          const r = await closing.expireSubsidies(null, { hospitalId, month: previous }, systemActor);
          results.push(`hospital ${hospitalId}: ${r.purses} purses, ${r.totalFen} fen`);
        }
        return `${previous}: ${results.join('; ')}`;
      },
    },
  ];
}
