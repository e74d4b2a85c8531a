// A person's notifications: the outbox messages addressed to them (movements of money, card notices), as a
// list and as a live stream. The stream reads by the outbox's commit-safe cursor, so a notice written by
// a slow transaction is delivered late, never skipped; any app instance can serve any person's stream.
import type { Kysely } from 'kysely';
import { iso } from '../../platform/clock.ts';
import {
  formatCursor,
  messagesFor,
  parseCursor,
  settledCursor,
  settledMessagesAfter,
  type OutboxCursor,
  type OutboxTables,
} from '../../platform/outbox.ts';
import { pageSize } from '../../platform/paging.ts';

export interface Notification {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** One event of the live stream: `cursor` is its SSE id, sent back as Last-Event-ID on a reconnect. */
export interface StreamEvent extends Notification {
  cursor: string;
}

export class NotificationsService {
  constructor(
    private readonly db: Kysely<OutboxTables>,
    private readonly options: { pollMs: number } = { pollMs: 2000 },
  ) {}

  /** The person's notifications (one per movement), newest first. */
  async list(personId: number, options: { beforeId?: number | undefined; limit?: number | undefined } = {}) {
    const rows = await messagesFor(this.db, personId, {
      ...(options.beforeId === undefined ? {} : { beforeId: options.beforeId }),
      limit: pageSize(options.limit, 20),
    });
    return rows.map((r): Notification => ({
      id: r.id,
      topic: r.topic,
      payload: r.payload,
      createdAt: iso(r.createdAt),
    }));
  }

  /** Where a stream starts: after the client's last event, or (a new stream) after everything settled now. */
  async streamStart(personId: number, lastEventId: string | undefined): Promise<OutboxCursor> {
    return parseCursor(lastEventId) ?? settledCursor(this.db, personId);
  }

  /**
   * The live stream: yields each new notification once, in commit-safe order, polling the database until
   * `isOpen()` turns false. Yields null now and then while nothing happens (a keep-alive for proxies).
   */
  async *stream(personId: number, from: OutboxCursor, isOpen: () => boolean): AsyncGenerator<StreamEvent | null> {
    let cursor = from;
    let quiet = 0;
    while (isOpen()) {
      const fresh = await settledMessagesAfter(this.db, personId, cursor, 100);
      for (const n of fresh) {
        cursor = { xactId: n.xactId, id: n.id };
        yield {
          id: n.id,
          topic: n.topic,
          payload: n.payload,
          createdAt: iso(n.createdAt),
          cursor: formatCursor(cursor),
        };
      }
      quiet = fresh.length ? 0 : quiet + 1;
      if (quiet % 10 === 9) yield null;
      if (fresh.length < 100) await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }
}
