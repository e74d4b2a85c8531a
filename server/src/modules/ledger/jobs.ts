// The ledger's scheduled jobs (platform/scheduler.ts runs each once per slot across all instances).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { systemActor } from '../../platform/audit.ts';
import { localDay } from '../../platform/clock.ts';
import { purgeIdempotencyKeys } from '../../platform/idempotency.ts';
import { daily, hourly, type Job } from '../../platform/scheduler.ts';
import type { LedgerService } from './service.ts';

export function ledgerJobs(db: Kysely<DB>, ledger: LedgerService, timeZone: string): Job[] {
  return [
    {
      // Every night: check the invariants; a breach alerts finance and the administrators (outbox).
      name: 'ledger.verify',
      slotAt: daily('02:00', timeZone),
      run: async () => {
        const report = await ledger.runNightlyCheck();
        return report.ok
          ? `ok: ${report.entries} entries, ${report.accounts} accounts`
          : `${report.breaches.length} breach(es): ${report.breaches
              .slice(0, 5)
              .map((b) => b.message)
              .join('; ')}`;
      },
    },
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
        for (const hospitalId of await ledger.hospitalIds()) {
          const r = await ledger.expireSubsidies(null, { hospitalId, month: previous }, systemActor);
          results.push(`hospital ${hospitalId}: ${r.purses} purses, ${r.totalFen} fen`);
        }
        return `${previous}: ${results.join('; ')}`;
      },
    },
    {
      name: 'idempotency.purge',
      slotAt: hourly,
      run: async (now) => `purged ${await purgeIdempotencyKeys(db, now)} keys`,
    },
  ];
}
