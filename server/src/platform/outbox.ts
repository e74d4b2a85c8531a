// The transactional outbox: a message is a row written in the transaction of the change it reports,
// so a notification is never lost when the process dies and never sent for a change that rolled back.
// Senders (the WeCom issue) drain it: claim a batch, deliver, mark sent, or retry later with backoff.
// Several app instances may drain at once: a claim skips rows another instance holds.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
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
  /** The transaction that wrote the row (xid8, as text): the commit-safe cursor of readers (0006). */
  xactId: ColumnType<string, never, never>;
}

export interface OutboxTables {
  outboxMessages: OutboxMessagesTable;
}

type OutboxDb = Db<OutboxTables>;

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
export async function enqueue(db: OutboxDb, messages: OutboxMessage[], now: Date): Promise<void> {
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
  db: Kysely<OutboxTables>,
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

export async function markSent(db: OutboxDb, ids: number[], now: Date): Promise<void> {
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

export async function markFailed(db: OutboxDb, message: ClaimedMessage, error: string, now: Date): Promise<void> {
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
  db: Kysely<OutboxTables>,
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

/** A person's messages, newest first, for /m's notification list (paged by id). */
export async function messagesFor(db: OutboxDb, personId: number, options: { beforeId?: number; limit: number }) {
  return db
    .selectFrom('outboxMessages')
    .select(['id', 'topic', 'payload', 'createdAt'])
    .where('personId', '=', personId)
    .$if(options.beforeId !== undefined, (q) => q.where('id', '<', options.beforeId ?? 0))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

/**
 * Where a reader stands in a person's messages: the last (transaction, id) it has seen. Ids are handed out
 * at INSERT, not at COMMIT, so "id > last seen" would skip a slower transaction's lower id for good; a
 * reader instead only reads rows written by transactions older than every transaction still running
 * (pg_snapshot_xmin): no row can appear behind such a cursor later.
 */
export interface OutboxCursor {
  xactId: string;
  id: number;
}

export const formatCursor = (cursor: OutboxCursor): string => `${cursor.xactId}-${cursor.id}`;

export function parseCursor(text: string | undefined): OutboxCursor | null {
  const match = /^(\d{1,20})-(\d{1,15})$/.exec(text ?? '');
  return match ? { xactId: match[1]!, id: Number(match[2]) } : null;
}

/** A person's settled messages after `cursor`, oldest first (the live stream; later WeCom delivery). */
export async function settledMessagesAfter(db: OutboxDb, personId: number, cursor: OutboxCursor, limit: number) {
  const { rows } = await sql<{
    id: number;
    xactId: string;
    topic: string;
    payload: Record<string, unknown>;
    createdAt: Date;
  }>`
    SELECT id, xact_id::text AS xact_id, topic, payload, created_at FROM outbox_messages
     WHERE person_id = ${personId}
       AND xact_id < pg_snapshot_xmin(pg_current_snapshot())
       AND (xact_id, id) > (${cursor.xactId}::xid8, ${cursor.id}::bigint)
     ORDER BY xact_id, id
     LIMIT ${limit}`.execute(db);
  return rows;
}

/** The cursor just after a person's newest settled message: a stream opened now starts here. */
export async function settledCursor(db: OutboxDb, personId: number): Promise<OutboxCursor> {
  const { rows } = await sql<{ xactId: string; id: number }>`
    SELECT xact_id::text AS xact_id, id FROM outbox_messages
     WHERE person_id = ${personId} AND xact_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY xact_id DESC, id DESC LIMIT 1`.execute(db);
  return rows[0] ?? { xactId: '0', id: 0 };
}
