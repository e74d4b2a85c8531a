// The transactional outbox: a message is a row written in the transaction of the change it reports,
// so a notification is never lost when the process dies and never sent for a change that rolled back.
// Senders (the WeCom issue) drain it: claim a batch, deliver, mark sent, or retry later with backoff.
// Several app instances may drain at once: a claim skips rows another instance holds.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Db, DB } from '../db/database.ts';
import type { Id } from '../db/tables.ts';

export interface OutboxMessagesTable {
  id: Id;
  topic: string;
  personId: number | null;
  payload: ColumnType<Record<string, unknown>, string, never>;
  createdAt: Date;
  availableAt: Date;
  attempts: Generated<number>;
  claimedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
}

export interface OutboxTables {
  outboxMessages: OutboxMessagesTable;
}

/** A movement of money for the person: amount, what, where, balance after. */
export const WALLET_MOVEMENT = 'wallet.movement';
/** A breach found by the nightly ledger check, for finance and the administrators. */
export const LEDGER_ALERT = 'ledger.alert';

export interface OutboxMessage {
  topic: string;
  personId: number | null;
  payload: Record<string, unknown>;
}

export interface ClaimedMessage extends OutboxMessage {
  id: number;
  attempts: number;
  createdAt: Date;
}

/** Call inside the transaction that makes the change. */
export async function enqueue(db: Db, messages: OutboxMessage[], now: Date): Promise<void> {
  if (!messages.length) return;
  await db
    .insertInto('outboxMessages')
    .values(
      messages.map((m) => ({
        topic: m.topic,
        personId: m.personId,
        payload: JSON.stringify(m.payload),
        createdAt: now,
        availableAt: now,
      })),
    )
    .execute();
}

/**
 * Takes up to `limit` due messages of a topic for `leaseMs`: another drainer skips them until the lease
 * ends, so a sender that dies mid-batch only delays its messages. Deliver, then `markSent` or `markFailed`.
 */
export async function claimBatch(
  db: Kysely<DB>,
  options: { topic: string; limit: number; leaseMs: number; now: Date },
): Promise<ClaimedMessage[]> {
  const until = new Date(options.now.getTime() + options.leaseMs);
  const { rows } = await sql<{
    id: number;
    topic: string;
    personId: number | null;
    payload: Record<string, unknown>;
    attempts: number;
    createdAt: Date;
  }>`
    UPDATE outbox_messages m SET claimed_until = ${until}, attempts = m.attempts + 1
     WHERE m.id IN (
       SELECT id FROM outbox_messages
        WHERE topic = ${options.topic} AND sent_at IS NULL AND available_at <= ${options.now}
          AND (claimed_until IS NULL OR claimed_until <= ${options.now})
        ORDER BY available_at, id
        LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING m.id, m.topic, m.person_id, m.payload, m.attempts, m.created_at`.execute(db);
  return rows.sort((a, b) => a.id - b.id);
}

export async function markSent(db: Db, ids: number[], now: Date): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('outboxMessages')
    .set({ sentAt: now, claimedUntil: null, lastError: null })
    .where('id', 'in', ids)
    .execute();
}

/** Backoff: 10 s, 20 s, 40 s … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

export async function markFailed(db: Db, message: ClaimedMessage, error: string, now: Date): Promise<void> {
  await db
    .updateTable('outboxMessages')
    .set({
      claimedUntil: null,
      lastError: error.slice(0, 1000),
      availableAt: new Date(now.getTime() + retryDelayMs(message.attempts)),
    })
    .where('id', '=', message.id)
    .execute();
}

/**
 * Drains one batch through `deliver`: each message is marked sent or scheduled for retry.
 * Returns how many were delivered.
 */
export async function drainOnce(
  db: Kysely<DB>,
  options: { topic: string; limit?: number; leaseMs?: number; now: () => Date },
  deliver: (message: ClaimedMessage) => Promise<void>,
): Promise<number> {
  const batch = await claimBatch(db, {
    topic: options.topic,
    limit: options.limit ?? 50,
    leaseMs: options.leaseMs ?? 60_000,
    now: options.now(),
  });
  let sent = 0;
  for (const message of batch) {
    try {
      await deliver(message);
      await markSent(db, [message.id], options.now());
      sent++;
    } catch (error) {
      await markFailed(db, message, (error as Error).message ?? String(error), options.now());
    }
  }
  return sent;
}

/** A person's messages newest first, for /m's notification list and its live stream (after an id). */
export async function messagesFor(
  db: Db,
  personId: number,
  options: { afterId?: number; beforeId?: number; limit: number },
) {
  return db
    .selectFrom('outboxMessages')
    .select(['id', 'topic', 'payload', 'createdAt'])
    .where('personId', '=', personId)
    .$if(options.afterId !== undefined, (q) => q.where('id', '>', options.afterId ?? 0))
    .$if(options.beforeId !== undefined, (q) => q.where('id', '<', options.beforeId ?? 0))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}
