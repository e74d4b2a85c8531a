// The withdrawals module's public face: what other modules and the app may use.
export { withdrawalRoutes } from './routes.ts';
export { WithdrawalsService, type WithdrawalView } from './service.ts';
export type { WithdrawalStatus, WithdrawalTables } from './tables.ts';
