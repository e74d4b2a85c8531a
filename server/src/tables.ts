// Every table the server knows, assembled from the modules that own them. Only the composition root
// (app.ts, cli.ts), the database connection, the demo seed and tests see all of them; a module's code
// sees its own tables (db/database.ts: Db<T>).
import type { CardTables } from './modules/cards/tables.ts';
import type { LedgerTables } from './modules/ledger/tables.ts';
import type { OrgTables } from './modules/org/tables.ts';
import type { PaymentTables } from './modules/payments/tables.ts';
import type { SubsidyTables } from './modules/subsidies/tables.ts';
import type { WalletTables } from './modules/wallets/tables.ts';
import type { WithdrawalTables } from './modules/withdrawals/tables.ts';
import type { AuditTables } from './platform/audit.ts';
import type { AuthTables } from './platform/auth/tables.ts';
import type { IdempotencyTables } from './platform/idempotency.ts';
import type { OutboxTables } from './platform/outbox.ts';
import type { RateLimitTables } from './platform/rate-limit.ts';
import type { SchedulerTables } from './platform/jobs/tables.ts';

export type DB = OrgTables &
  AuthTables &
  AuditTables &
  IdempotencyTables &
  OutboxTables &
  RateLimitTables &
  SchedulerTables &
  LedgerTables &
  WalletTables &
  WithdrawalTables &
  CardTables &
  SubsidyTables &
  PaymentTables;
