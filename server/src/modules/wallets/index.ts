// The wallets module's public face: what other modules and the app may use. Everything else in this
// folder is private to it (dependency-cruiser checks).
export { ClosingService, type AccountReturnInput, type AccountReturnResult } from './closing.ts';
export { FundingService, type MovementResult, type SubsidyGrantResult, type TopUpResult } from './funding.ts';
export { HoldsService } from './holds.ts';
export { walletJobs } from './jobs.ts';
export { WALLET_ENTRY_KINDS } from './kinds.ts';
export { walletRoutes } from './routes.ts';
export { splitSale } from './rules.ts';
export { WalletsService, type Balances, type SpendInput, type SpendResult } from './service.ts';
export type { SpendOrder, WalletStatus, WalletTables } from './tables.ts';
export { TransfersService, type PinVerifier } from './transfers.ts';
