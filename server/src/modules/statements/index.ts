// The statements module's public face: a person's statement and notifications (the ledger's read side).
export { NotificationsService } from './notifications.ts';
export { statementRoutes } from './routes.ts';
export { StatementsService } from './service.ts';
