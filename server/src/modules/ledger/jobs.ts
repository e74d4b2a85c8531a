// The ledger's scheduled jobs (platform/scheduler.ts runs each once per slot across all instances).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
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
      name: 'idempotency.purge',
      slotAt: hourly,
      run: async (now) => `purged ${await purgeIdempotencyKeys(db, now)} keys`,
    },
  ];
}
