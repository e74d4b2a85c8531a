// The ledger core's public face: what other modules and the app may use. Everything else in this folder
// is private to it (dependency-cruiser checks).
export { ledgerJobs } from './jobs.ts';
export { movementMessage } from './movement.ts';
export { refusalsAsAppErrors } from './refusals.ts';
export { ledgerRoutes } from './routes.ts';
export { LedgerService, type LockedPurse, type PersonEntry, type PurseBalances } from './service.ts';
export { REVERSAL } from './tables.ts';
