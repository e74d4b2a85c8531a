// All SQL of the cards module. Each function takes the database or a transaction.
import { sql } from 'kysely';
import type { Db as ModuleDb } from '../../db/database.ts';
import type { CardRevokedReason, CardTables } from './tables.ts';

type Db = ModuleDb<CardTables>;

const CARD_COLUMNS = [
  'id',
  'personId',
  'uid',
  'status',
  'revokedReason',
  'replacedById',
  'version',
  'issuedAt',
  'lostAt',
  'revokedAt',
] as const;

/**
 * The next change number for the deny-list. The row lock is held until the caller's transaction ends,
 * so changes commit in the order of their numbers (see 0003_cards.sql).
 */
export async function nextCardVersion(db: Db): Promise<number> {
  const row = await db
    .updateTable('cardChangeCounter')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export function findCard(db: Db, cardId: number, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom('cards')
    .select(CARD_COLUMNS)
    .where('id', '=', cardId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function listCardsOfPerson(db: Db, personId: number, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom('cards')
    .select(CARD_COLUMNS)
    .where('personId', '=', personId)
    .orderBy('id')
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .execute();
}

export function findLiveCardByUid(db: Db, uid: string) {
  return db
    .selectFrom('cards')
    .select(CARD_COLUMNS)
    .where('uid', '=', uid)
    .where('status', '<>', 'revoked')
    .executeTakeFirst();
}

/** The card a payment presents: the newest card with that UID (a live one if any). */
export function findCardForPayment(db: Db, uid: string) {
  return db
    .selectFrom('cards as c')
    .select(['c.id as cardId', 'c.uid', 'c.status', 'c.personId'])
    .where('c.uid', '=', uid)
    .orderBy((eb) => eb.case().when('c.status', '<>', 'revoked').then(0).else(1).end())
    .orderBy('c.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertCard(
  db: Db,
  values: { personId: number; uid: string; version: number; issuedAt: Date; issuedBy: number | null },
) {
  return db
    .insertInto('cards')
    .values({ ...values, status: 'active', updatedAt: values.issuedAt })
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function markCardLost(db: Db, cardId: number, version: number, at: Date) {
  return db
    .updateTable('cards')
    .set({ status: 'lost', lostAt: at, version, updatedAt: at })
    .where('id', '=', cardId)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function markCardFound(db: Db, cardId: number, version: number, at: Date) {
  return db
    .updateTable('cards')
    .set({ status: 'active', lostAt: null, version, updatedAt: at })
    .where('id', '=', cardId)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function markCardRevoked(
  db: Db,
  cardId: number,
  values: { version: number; at: Date; reason: CardRevokedReason; replacedById?: number },
) {
  return db
    .updateTable('cards')
    .set({
      status: 'revoked',
      revokedReason: values.reason,
      revokedAt: values.at,
      replacedById: values.replacedById ?? null,
      version: values.version,
      updatedAt: values.at,
    })
    .where('id', '=', cardId)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Every card changed after `since` up to `upTo`, oldest change first, for terminals to apply in order. */
export function cardChangesSince(db: Db, since: number, upTo: number, limit: number) {
  return db
    .selectFrom('cards')
    .select(['uid', 'status', 'version', 'updatedAt'])
    .where('version', '>', since)
    .where('version', '<=', upTo)
    .orderBy('version')
    .limit(limit)
    .execute();
}

export async function currentCardVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('cardChangeCounter').select('version').executeTakeFirstOrThrow();
  return row.version;
}

export function findPin(db: Db, personId: number, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom('paymentPins')
    .select(['personId', 'pinHash', 'failedAttempts', 'lockedUntil', 'changedAt'])
    .where('personId', '=', personId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function upsertPin(db: Db, personId: number, pinHash: string, at: Date) {
  return db
    .insertInto('paymentPins')
    .values({ personId, pinHash, changedAt: at, failedAttempts: 0, lockedUntil: null })
    .onConflict((oc) =>
      oc.column('personId').doUpdateSet({ pinHash, changedAt: at, failedAttempts: 0, lockedUntil: null }),
    )
    .execute();
}

/**
 * A right PIN clears the failure count, unless the PIN was changed or locked while it was being
 * checked (then undefined, and the check looks again).
 */
export function clearPinFailures(db: Db, personId: number, pinHash: string, now: Date) {
  return db
    .updateTable('paymentPins')
    .set({ failedAttempts: 0, lockedUntil: null })
    .where('personId', '=', personId)
    .where('pinHash', '=', pinHash)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
    .returning('personId')
    .executeTakeFirst();
}

/**
 * Counts one wrong PIN in one statement, so wrong PINs checked at once (on any instance) each count
 * exactly once: PostgreSQL re-reads the row for each waiting UPDATE. The one that reaches the maximum
 * locks the PIN until `lockUntil` and starts a fresh count. A PIN changed or locked meanwhile is not
 * touched (undefined).
 */
export function countPinFailure(
  db: Db,
  attempt: { personId: number; pinHash: string; now: Date; lockUntil: Date },
  maxFailures: number,
) {
  const locks = sql<boolean>`payment_pins.failed_attempts + 1 >= ${maxFailures}`;
  return db
    .updateTable('paymentPins')
    .set({
      failedAttempts: sql<number>`CASE WHEN ${locks} THEN 0 ELSE payment_pins.failed_attempts + 1 END`,
      lockedUntil: sql<Date | null>`CASE WHEN ${locks} THEN ${attempt.lockUntil}::timestamptz END`,
    })
    .where('personId', '=', attempt.personId)
    .where('pinHash', '=', attempt.pinHash)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', attempt.now)]))
    .returning(['failedAttempts', 'lockedUntil'])
    .executeTakeFirst();
}

export function deletePin(db: Db, personId: number) {
  return db.deleteFrom('paymentPins').where('personId', '=', personId).execute();
}
