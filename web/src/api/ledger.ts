import type {
  CashTopUp,
  CashTopUpReceipt,
  JournalFilters,
  JournalPage,
  LedgerSettings,
  LedgerSettingsChange,
  NotificationList,
  Reversal,
  StatementFilters,
  StatementPage,
  Wallet,
} from '@canteen/server/api';
import { api } from './client.ts';

/** The ledger API (server/src/modules/ledger/routes.ts): wallets, statements, cash top-ups, the journal. */
export const ledgerApi = {
  myWallet: () => api.get<Wallet>('/api/me/wallet'),
  myStatement: (filters: StatementFilters, signal?: AbortSignal) =>
    api.get<StatementPage>('/api/me/statement', filters, signal),
  myNotifications: (before?: number) => api.get<NotificationList>('/api/me/notifications', { before, limit: 20 }),

  wallet: (personId: number) => api.get<Wallet>(`/api/people/${personId}/wallet`),
  statement: (personId: number, filters: StatementFilters, signal?: AbortSignal) =>
    api.get<StatementPage>(`/api/people/${personId}/statement`, filters, signal),

  cashTopUp: (body: CashTopUp, idempotencyKey: string) =>
    api.postOnce<CashTopUpReceipt>('/api/ledger/cash-top-ups', body, idempotencyKey),

  journal: (filters: JournalFilters, signal?: AbortSignal) =>
    api.get<JournalPage>('/api/ledger/entries', filters, signal),
  settings: () => api.get<LedgerSettings>('/api/ledger/settings'),
  changeSettings: (body: LedgerSettingsChange) => api.put<LedgerSettings>('/api/ledger/settings', body),
  /** Corrects an entry with a new one that negates every posting (ledger.reverse). */
  reverse: (entryId: number, reason: string, idempotencyKey: string) =>
    api.postOnce<Reversal>(`/api/ledger/entries/${entryId}/reversal`, { reason }, idempotencyKey),
};

/** The live notification stream (text/event-stream); EventSource sends the session cookie itself. */
export const NOTIFICATION_STREAM = '/api/me/notifications/stream';
