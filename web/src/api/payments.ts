import type { TopUpOrder, TopUpOrderCreated, TopUpOrderRequest } from '@canteen/server/api';
import { api } from './client.ts';

/** Online top-up (server/src/modules/payments/routes.ts): my payment orders and the test channel's payer. */
export const paymentsApi = {
  createTopUp: (body: TopUpOrderRequest, idempotencyKey: string) =>
    api.postOnce<TopUpOrderCreated>('/api/me/top-ups', body, idempotencyKey),
  topUp: (id: number, signal?: AbortSignal) => api.get<TopUpOrder>(`/api/me/top-ups/${id}`, undefined, signal),
  /** TEST CHANNEL ONLY: the simulated payer pays the order (the server signs and posts the notification). */
  payWithTestChannel: (token: string) => api.post<TopUpOrder>(`/api/payments/test/pay/${encodeURIComponent(token)}`),
};
