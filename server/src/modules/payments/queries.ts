// SQL of the online top-up module.
import type { Db as ModuleDb } from '../../db/database.ts';
import type { PaymentChannelCode, PaymentTables } from './tables.ts';

type Db = ModuleDb<PaymentTables>;

const COLUMNS = [
  'id',
  'hospitalId',
  'personId',
  'channel',
  'amountFen',
  'status',
  'outTradeNo',
  'channelTransactionId',
  'createdAt',
  'paidAt',
  'entryId',
] as const;

export async function insertOrder(
  db: Db,
  values: {
    hospitalId: number;
    personId: number;
    channel: PaymentChannelCode;
    amountFen: number;
    outTradeNo: string;
    createdAt: Date;
  },
) {
  return db.insertInto('paymentOrders').values(values).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function findOrder(db: Db, id: number) {
  return db.selectFrom('paymentOrders').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The order by its out_trade_no, locked for the notification that settles it. */
export async function lockOrderByTradeNo(db: Db, outTradeNo: string) {
  return db
    .selectFrom('paymentOrders')
    .select(COLUMNS)
    .where('outTradeNo', '=', outTradeNo)
    .forUpdate()
    .executeTakeFirst();
}

export async function findOrderByTradeNo(db: Db, outTradeNo: string) {
  return db.selectFrom('paymentOrders').select(COLUMNS).where('outTradeNo', '=', outTradeNo).executeTakeFirst();
}

export async function markPaid(
  db: Db,
  id: number,
  values: { channelTransactionId: string; paidAt: Date; entryId: number },
): Promise<void> {
  await db
    .updateTable('paymentOrders')
    .set({ status: 'paid', ...values })
    .where('id', '=', id)
    .where('status', '=', 'created')
    .execute();
}

export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;
