import type { Tx } from '../db/database.ts';
import type { Actor } from './audit.ts';

export interface PersonRef {
  id: number;
  hospitalId: number;
  employeeNo: string;
}

/**
 * What other modules must do when a person joins or leaves: the wallets module opens or
 * freezes the wallet. The org module calls every listener inside the transaction that changes the person,
 * so a person is never active without a wallet, however they arrived (console, Excel, WeCom sync).
 */
export interface PersonLifecycleListener {
  // Arrays, so a bulk import or the demo seed of 2,000 people is a few statements, not thousands.
  peopleActivated(trx: Tx, people: PersonRef[], actor: Actor): Promise<void>;
  peopleLeft(trx: Tx, people: PersonRef[], actor: Actor): Promise<void>;
}
