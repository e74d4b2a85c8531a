// Row types of the online top-up tables (migration 0005_payments.sql), as Kysely sees them.
import type { ColumnType, Generated } from 'kysely';
import type { Id } from '../../db/tables.ts';

export type PaymentOrderStatus = 'created' | 'paid' | 'failed' | 'expired';
export type PaymentChannelCode = 'test' | 'wechat';

export interface PaymentOrdersTable {
  id: Id;
  hospitalId: number;
  personId: number;
  channel: PaymentChannelCode;
  amountFen: number;
  status: Generated<PaymentOrderStatus>;
  outTradeNo: string;
  channelTransactionId: string | null;
  createdAt: ColumnType<Date, Date, never>;
  paidAt: Date | null;
  entryId: number | null;
}

export interface PaymentTables {
  paymentOrders: PaymentOrdersTable;
}
