// Row types of the cards module's tables (migration 0003_cards.sql), as Kysely sees them.
import type { ColumnType } from 'kysely';
import type { Id } from '../../db/tables.ts';

/** active: pays · lost (挂失): refused everywhere · revoked: replaced or returned (退卡), for good. */
export type CardStatus = 'active' | 'lost' | 'revoked';
export type CardRevokedReason = 'replaced' | 'returned';

export interface CardsTable {
  id: Id;
  personId: number;
  uid: string;
  status: CardStatus;
  revokedReason: CardRevokedReason | null;
  replacedById: number | null;
  version: number;
  issuedAt: ColumnType<Date, Date, never>;
  issuedBy: number | null;
  lostAt: Date | null;
  revokedAt: Date | null;
  updatedAt: Date;
}

export interface CardChangeCounterTable {
  onlyRow: ColumnType<boolean, never, never>;
  version: number;
}

export interface PaymentPinsTable {
  personId: number;
  pinHash: string;
  failedAttempts: ColumnType<number, number | undefined, number>;
  lockedUntil: Date | null;
  changedAt: Date;
}

export interface CardTables {
  cards: CardsTable;
  cardChangeCounter: CardChangeCounterTable;
  paymentPins: PaymentPinsTable;
}
