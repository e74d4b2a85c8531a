import type { Withdrawal, WithdrawalPage, WithdrawalRequest } from '@canteen/server/api';
import { api } from './client.ts';

type Status = Withdrawal['status'];

/** Withdrawals (提款, server/src/modules/ledger/routes.ts): asked for in /m, decided by finance. */
export const withdrawalsApi = {
  request: (body: WithdrawalRequest, idempotencyKey: string) =>
    api.postOnce<Withdrawal>('/api/me/withdrawals', body, idempotencyKey),
  mine: (cursor?: string) => api.get<WithdrawalPage>('/api/me/withdrawals', { cursor, limit: 20 }),

  list: (status: Status | undefined, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<WithdrawalPage>('/api/ledger/withdrawals', { status, cursor, limit: 25 }, signal),
  pay: (id: number, note: string) => api.post<Withdrawal>(`/api/ledger/withdrawals/${id}/pay`, { note }),
  reject: (id: number, note: string) => api.post<Withdrawal>(`/api/ledger/withdrawals/${id}/reject`, { note }),
};
