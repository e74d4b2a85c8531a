import type {
  AccountReturn,
  AccountReturnReceipt,
  Card,
  CardList,
  IssueCard,
  PinStatus,
  ReplacedCard,
  SetPin,
} from '@canteen/server/api';
import { api } from './client.ts';

/** Cards and the payment PIN (server/src/modules/cards/routes.ts). */
export const cardsApi = {
  // —— my own (/m) ——
  myCards: async () => (await api.get<CardList>('/api/me/cards')).items,
  reportMyCardLost: (id: number) => api.post<Card>(`/api/me/cards/${id}/report-lost`),
  cancelMyCardLoss: (id: number, pin: string) => api.post<Card>(`/api/me/cards/${id}/cancel-loss`, { pin }),
  myPin: () => api.get<PinStatus>('/api/me/pin'),
  setMyPin: (body: SetPin) => api.put<void>('/api/me/pin', body),

  // —— the console ——
  cards: async (personId: number) => (await api.get<CardList>('/api/cards', { personId })).items,
  issue: (body: IssueCard) => api.post<Card>('/api/cards', body),
  reportLost: (id: number, reason: string) => api.post<Card>(`/api/cards/${id}/report-lost`, { reason }),
  replace: (id: number, uid: string, reason: string) =>
    api.post<ReplacedCard>(`/api/cards/${id}/replace`, { uid, reason }),
  returnCard: (id: number, reason: string) => api.post<Card>(`/api/cards/${id}/return`, { reason }),
  pinStatus: (personId: number) => api.get<PinStatus>(`/api/people/${personId}/pin`),
  resetPin: (personId: number, reason: string) => api.post<void>(`/api/people/${personId}/pin/reset`, { reason }),
  /** 退卡 on leaving: own funds paid out in cash, subsidy returned, wallet closed, every card revoked. */
  returnAccount: (personId: number, body: AccountReturn, idempotencyKey: string) =>
    api.postOnce<AccountReturnReceipt>(`/api/people/${personId}/account-return`, body, idempotencyKey),
};
