// The ledger core's scheduled jobs (platform/scheduler.ts runs each once per slot across all instances).
import { daily, type Job } from '../../platform/scheduler.ts';
import type { LedgerService } from './service.ts';

export function ledgerJobs(ledger: LedgerService, timeZone: string): Job[] {
  return [
    {
      // Every night: check the invariants; a breach alerts finance and the administrators (outbox).
      name: 'ledger.verify',
      schedule: daily('02:00', timeZone),
      // A missed night is covered by the next check: it verifies the whole journal.
      catchUp: 'latest',
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
  ];
}
