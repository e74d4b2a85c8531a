// All SQL of the withdrawals module.
import type { Db } from '../../db/database.ts';
import type { WithdrawalStatus, WithdrawalTables } from './tables.ts';

type WithdrawalDb = Db<WithdrawalTables>;

export async function insertWithdrawal(
  db: WithdrawalDb,
  row: { hospitalId: number; personId: number; amountFen: number; note: string; requestedAt: Date },
) {
  return db.insertInto('withdrawals').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findWithdrawalForUpdate(db: WithdrawalDb, id: number) {
  return db.selectFrom('withdrawals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function decideWithdrawal(
  db: WithdrawalDb,
  id: number,
  decision: { status: 'paid' | 'rejected'; decisionNote: string; decidedAt: Date; decidedBy: number | null },
) {
  return db.updateTable('withdrawals').set(decision).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listWithdrawals(
  db: WithdrawalDb,
  filter: { hospitalId?: number; personId?: number; status?: WithdrawalStatus; beforeId?: number; limit: number },
) {
  return db
    .selectFrom('withdrawals')
    .selectAll()
    .$if(filter.hospitalId !== undefined, (qb) => qb.where('hospitalId', '=', filter.hospitalId!))
    .$if(filter.personId !== undefined, (qb) => qb.where('personId', '=', filter.personId!))
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status!))
    .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId!))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
}
