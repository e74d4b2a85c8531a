// The withdrawals module's public face: what other modules and the app may use.
export { withdrawalRoutes } from './routes.ts';
export { WithdrawalsService } from './service.ts';
