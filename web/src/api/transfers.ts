import type { Payee, Transfer, TransferReceipt } from '@canteen/server/api';
import { api } from './client.ts';

/** 同事间转账 in /m: find the colleague by employee number (org), then send own funds (ledger). */
export const transfersApi = {
  /** The active colleague with exactly this employee number, or 404 PAYEE_NOT_FOUND. */
  payee: (employeeNo: string) => api.get<Payee>('/api/me/payees', { employeeNo }),
  send: (body: Transfer, idempotencyKey: string) =>
    api.postOnce<TransferReceipt>('/api/me/transfers', body, idempotencyKey),
};
