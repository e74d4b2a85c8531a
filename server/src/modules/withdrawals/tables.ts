// Row types of the withdrawals table (migration 0002_ledger.sql), as Kysely sees them.
import type { Generated } from 'kysely';
import type { Id } from '../../db/tables.ts';

export type WithdrawalStatus = 'pending' | 'paid' | 'rejected';

/** 提款: a person asks for own funds back; the money is held in their wallet until finance decides. */
export interface WithdrawalsTable {
  id: Id;
  hospitalId: number;
  personId: number;
  amountFen: number;
  status: Generated<WithdrawalStatus>;
  note: Generated<string>;
  decisionNote: Generated<string>;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: number | null;
}

export interface WithdrawalTables {
  withdrawals: WithdrawalsTable;
}
