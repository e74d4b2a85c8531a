// The wallets module's public face: what other modules and the app may use. Everything else in this
// folder is private to it (dependency-cruiser checks).
export { ClosingService, type AccountReturnResult } from './closing.ts';
export { FundingService } from './funding.ts';
export { HoldsService } from './holds.ts';
export { walletJobs } from './jobs.ts';
export { WALLET_ENTRY_KINDS } from './kinds.ts';
export { walletRoutes } from './routes.ts';
export { WalletsService } from './service.ts';
export { TransfersService } from './transfers.ts';
