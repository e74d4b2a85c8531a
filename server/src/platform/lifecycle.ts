import type { Transaction } from 'kysely';
import type { DB } from '../db/database.ts';
import type { Actor } from './audit.ts';

export interface PersonRef {
  id: number;
  hospitalId: number;
  employeeNo: string;
}

/**
 * What other modules must do when a person joins or leaves: the ledger opens or freezes the
 * wallet. The org module calls every listener inside the transaction that changes the person,
 * so a person is never active without a wallet, however they arrived (console, Excel, WeCom sync).
 */
export interface PersonLifecycleListener {
  personActivated(trx: Transaction<DB>, person: PersonRef, actor: Actor): Promise<void>;
  personLeft(trx: Transaction<DB>, person: PersonRef, actor: Actor): Promise<void>;
}
