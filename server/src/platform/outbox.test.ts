import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson } from '../../test/factories.ts';
import { describeEachDatabase } from '../../test/harness.ts';
import { closeAndSettle } from '../../test/settle.ts';
import { FixedClock } from './clock.ts';
import {
  claimBatch,
  drainOnce,
  enqueue,
  markFailed,
  settledCursor,
  settledMessagesAfter,
  type OutboxCursor,
} from './outbox.ts';

describeEachDatabase('outbox', (get, kind) => {
  const TOPIC = 'test.notice';
  const clock = new FixedClock(new Date('2026-03-02T04:00:00Z'));
  const now = () => clock.now();
  let personId: number;
  beforeAll(async () => {
    personId = (await newPerson(get().db)).id;
  });
  afterAll(() => closeAndSettle(get()));
  const notice = (n: number) => ({ topic: TOPIC, personId, payload: { n } });

  describe('senders', () => {
    it('drains with SKIP LOCKED claims and retries failures later', async () => {
      const delivered: number[] = [];
      const deliver = async (m: { id: number }) => {
        delivered.push(m.id);
      };
      await enqueue(get().db, [notice(1), notice(2)], now());
      const [failing] = await claimBatch(get().db, { topic: TOPIC, limit: 1, leaseMs: 60_000, now: now() });
      expect(failing?.payload).toEqual({ n: 1 });
      // Another drainer skips the claimed message and sends the next one.
      expect(await drainOnce(get().db, { topic: TOPIC, now }, deliver)).toBe(1);
      await markFailed(get().db, failing!, 'WeCom said 45009', now());
      const retry = await get()
        .db.selectFrom('outboxMessages')
        .select(['sentAt', 'attempts', 'lastError', 'availableAt'])
        .where('id', '=', failing!.id)
        .executeTakeFirstOrThrow();
      expect(retry).toMatchObject({ sentAt: null, attempts: 1, lastError: 'WeCom said 45009' });
      expect(retry.availableAt.getTime()).toBe(now().getTime() + 10_000);
      expect(await drainOnce(get().db, { topic: TOPIC, now }, deliver)).toBe(0);
      clock.advance(10_000);
      expect(await drainOnce(get().db, { topic: TOPIC, now }, deliver)).toBe(1);
      expect(delivered.at(-1)).toBe(failing!.id);
    });
  });

  describe('the commit-safe cursor of readers', () => {
    const reader = async () => {
      let cursor: OutboxCursor = await settledCursor(get().db, personId);
      const seen: number[] = [];
      const read = async (limit = 100) => {
        for (const m of await settledMessagesAfter(get().db, personId, cursor, limit)) {
          seen.push(m.payload['n'] as number);
          cursor = { xactId: m.xactId, id: m.id };
        }
      };
      return { seen, read };
    };

    it('starts after what is already there and hands each later message over once, in order', async () => {
      await enqueue(get().db, [notice(10)], now());
      const { seen, read } = await reader();
      await enqueue(get().db, [notice(11)], now());
      await enqueue(get().db, [notice(12), notice(13)], now());
      await read(1);
      expect(seen).toEqual([11]);
      await read();
      await read();
      expect(seen).toEqual([11, 12, 13]);
    });

    // Ids are handed out at INSERT, not at COMMIT: here the slower transaction holds the lower id and
    // commits last. A reader paging by "id > last seen" skipped it for good. PGlite runs one transaction at
    // a time, so only PostgreSQL can interleave the two.
    it.runIf(kind === 'postgres')('delivers a lower id that commits after a higher one, exactly once', async () => {
      const { seen, read } = await reader();
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let wrote: () => void = () => {};
      const written = new Promise<void>((resolve) => (wrote = resolve));
      const slow = get()
        .db.transaction()
        .execute(async (trx) => {
          await enqueue(trx, [notice(20)], now());
          wrote();
          await held;
        });
      await written;
      await enqueue(get().db, [notice(21)], now()); // a higher id, committed at once
      await read();
      expect(seen).toEqual([]); // nothing yet: an older transaction may still add a lower id
      release();
      await slow;
      await read();
      await read();
      expect(seen).toEqual([20, 21]);
    });
  });
});
