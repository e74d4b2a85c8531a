// The ledger core's public face: what other modules and the app may use. Everything else in this folder
// is private to it (dependency-cruiser checks).
export { ledgerJobs } from './jobs.ts';
export { movementMessage, WALLET_MOVEMENT } from './movement.ts';
export { ledgerError, refusalsAsAppErrors } from './refusals.ts';
export { ledgerRoutes } from './routes.ts';
export {
  LEDGER_ALERT,
  LedgerService,
  type EntryDraft,
  type JournalEntry,
  type LockedPurse,
  type PersonEntry,
  type PurseBalances,
} from './service.ts';
export { REVERSAL, type AccountKind, type EntryKind, type LedgerTables } from './tables.ts';
export type { Breach, VerifyReport } from './verify.ts';
