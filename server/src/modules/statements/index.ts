// The statements module's public face: a person's statement and notifications (the ledger's read side).
export { NotificationsService } from './notifications.ts';
export { statementRoutes } from './routes.ts';
export { STATEMENT_KINDS, type StatementKind } from './schema.ts';
export { StatementsService, type MaskedNames } from './service.ts';
