// canteen verify and the nightly check: the ledger's invariants, read straight from the journal.
import type { Db } from '../../db/database.ts';
import * as q from './queries.ts';
import type { LedgerTables } from './tables.ts';

export type BreachKind = 'unbalanced_entry' | 'balance_mismatch' | 'negative_purse' | 'orphan_posting';

export interface Breach {
  kind: BreachKind;
  message: string;
  details: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  breaches: Breach[];
}

/**
 * Every entry balances (two or more postings summing to zero), every posting names an entry and an
 * account, every cached balance equals the sum of its postings, and no purse is below zero unless the
 * entry that took it there carries the arrears flag.
 */
export async function verifyLedger(db: Db<LedgerTables>): Promise<VerifyReport> {
  const breaches: Breach[] = [];
  for (const e of await q.unbalancedEntries(db)) {
    breaches.push({
      kind: 'unbalanced_entry',
      message: `entry ${e.entryId}: ${e.lines} posting(s) summing to ${e.sumFen} fen`,
      details: { ...e },
    });
  }
  for (const p of await q.orphanPostings(db)) {
    breaches.push({
      kind: 'orphan_posting',
      message: `a posting (entry ${p.entryId}, account ${p.accountId}) names an entry or account that does not exist`,
      details: { ...p },
    });
  }
  for (const a of await q.balanceMismatches(db)) {
    breaches.push({
      kind: 'balance_mismatch',
      message: `account ${a.accountId} (${a.kind}): cached balance ${a.cachedFen} fen, postings sum to ${a.postedFen} fen`,
      details: { ...a },
    });
  }
  for (const a of await q.negativePursesWithoutArrears(db)) {
    breaches.push({
      kind: 'negative_purse',
      message: `account ${a.accountId} (${a.kind} of person ${a.personId}) is at ${a.balanceFen} fen without the arrears rule`,
      details: { ...a },
    });
  }
  const counts = await q.countJournal(db);
  return { ok: breaches.length === 0, entries: counts.entries, accounts: counts.accounts, breaches };
}
