import type { Kysely, Transaction } from 'kysely';
import type { CardTables } from '../modules/cards/tables.ts';
import type { LedgerTables } from '../modules/ledger/tables.ts';
import type { PaymentTables } from '../modules/payments/tables.ts';
import type { SubsidyTables } from '../modules/subsidies/tables.ts';
import type { IdempotencyTables } from '../platform/idempotency.ts';
import type { OutboxTables } from '../platform/outbox.ts';
import type { RateLimitTables } from '../platform/rate-limit.ts';
import type { SchedulerTables } from '../platform/scheduler.ts';
import type { FoundationTables } from './tables.ts';

/** Every table the server knows. A module adds its tables here by intersecting its table map. */
export type DB = FoundationTables &
  IdempotencyTables &
  OutboxTables &
  RateLimitTables &
  SchedulerTables &
  LedgerTables &
  CardTables &
  SubsidyTables &
  PaymentTables;

/** Query functions take the database or a transaction, so a service decides where the boundary is. */
export type Db = Kysely<DB> | Transaction<DB>;
