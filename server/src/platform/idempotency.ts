// Idempotency for every request that moves money (DESIGN §4): a terminal that retries after a timeout
// must never charge twice. The key and a hash of the request are stored in the same transaction as the
// effect, with the reply; the same key again returns that reply, with another request it is refused.
// A sale (ledger_spend, 0012_spend_writes.sql) follows the same protocol in SQL, in one round trip, with
// its journal entry as the record: the entry carries the key and the request's hash.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ColumnType, Kysely, Transaction } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError, conflict } from './errors.ts';

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  requestHash: string;
  response: ColumnType<unknown, string | null, string | null>;
  createdAt: Date;
}

export interface IdempotencyTables {
  idempotencyKeys: IdempotencyKeysTable;
}

/** Keys live at least this long: a terminal retries within minutes, an offline till within a day or two. */
export const IDEMPOTENCY_RETENTION_HOURS = 72;

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** The Idempotency-Key header of a money-moving request; 400 when it is missing or malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const value = request.headers[IDEMPOTENCY_HEADER];
  if (typeof value !== 'string' || !value) {
    throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 400, 'Send an Idempotency-Key header (a fresh UUID per payment)');
  }
  if (!KEY.test(value)) {
    throw new AppError('IDEMPOTENCY_KEY_INVALID', 400, 'The Idempotency-Key must be 8–128 letters, digits or ._:-');
  }
  return value;
}

/** A stable hash of a request: object keys sorted, so {a,b} and {b,a} are the same request. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const keyReused = (key: string): AppError =>
  conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', { key });

export interface IdempotentRequest {
  /** What the key is unique within, e.g. 'cash-top-up:<cashier id>'. */
  scope: string;
  key: string;
  /** The request as the client sent it (hashed, not stored). */
  request: unknown;
  now: Date;
}

export interface IdempotentResult<T> {
  result: T;
  /** True when this is the stored reply of an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Runs `effect` once per key: THE protocol of every money-moving request, called by services (never by
 * routes), in the transaction of the effect. The effect's result must be plain JSON (it is stored and
 * replayed). A concurrent duplicate blocks on the key's primary key until the first commits, then replays
 * it; if the first rolls back, the duplicate runs the effect itself. The sale's SQL function
 * (ledger_spend) keeps the same protocol on its journal entry, so a sale stays one round trip.
 */
export async function withIdempotency<T>(
  db: Kysely<IdempotencyTables> | Tx,
  request: IdempotentRequest,
  effect: (trx: Tx) => Promise<T>,
): Promise<IdempotentResult<T>> {
  const run = async (trx: Tx): Promise<IdempotentResult<T>> => {
    const keys: Transaction<IdempotencyTables> = trx;
    const hash = requestHash(request.request);
    const inserted = await keys
      .insertInto('idempotencyKeys')
      .values({ scope: request.scope, key: request.key, requestHash: hash, response: null, createdAt: request.now })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!inserted) {
      const stored = await keys
        .selectFrom('idempotencyKeys')
        .select(['requestHash', 'response'])
        .where('scope', '=', request.scope)
        .where('key', '=', request.key)
        .executeTakeFirstOrThrow();
      if (stored.requestHash !== hash || stored.response === null) throw keyReused(request.key);
      return { result: stored.response as T, replayed: true };
    }
    const result = await effect(trx);
    await keys
      .updateTable('idempotencyKeys')
      .set({ response: JSON.stringify(result ?? null) })
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .execute();
    return { result, replayed: false };
  };
  return db.isTransaction ? run(db as Tx) : db.transaction().execute(run);
}

/** Deletes keys older than the retention; the scheduler runs it hourly. Returns how many went. */
export async function purgeIdempotencyKeys(db: Kysely<IdempotencyTables>, now: Date): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000);
  const result = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
