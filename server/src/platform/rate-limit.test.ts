import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { FixedClock } from './clock.ts';
import { AppError } from './errors.ts';
import { RATE_LIMITS, RateLimiter, type Attempt } from './rate-limit.ts';

const refusal = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'allowed';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return `${error.status} ${error.code} retry-after ${error.headers['retry-after']}`;
  }
};

describeEachDatabase('rate limits kept in the database', (get) => {
  const setUp = () => {
    const clock = new FixedClock(new Date('2026-03-02T01:30:00Z'));
    return { clock, limiter: new RateLimiter(get().db, clock) };
  };

  it('counts a burst from several app instances exactly: the free attempts pass, the rest wait', async () => {
    const { clock } = setUp();
    // Four instances of the app, one database.
    const instances = Array.from({ length: 4 }, () => new RateLimiter(get().db, clock));
    const attempt: Attempt = { bucket: 'pin.address', key: '10.9.0.1' };
    const outcomes = await Promise.all(
      Array.from({ length: 32 }, (_, i) => refusal(instances[i % 4]!.claim([attempt]))),
    );
    expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(RATE_LIMITS['pin.address'].free);
    expect(new Set(outcomes.filter((o) => o !== 'allowed'))).toEqual(new Set(['429 TOO_MANY_ATTEMPTS retry-after 1']));
  });

  it('starts the count again after a quiet spell', async () => {
    const { clock, limiter } = setUp();
    const attempt: Attempt = { bucket: 'login.account', key: 'quiet' };
    for (let i = 0; i < 5; i++) await limiter.claim([attempt]);
    expect(await refusal(limiter.claim([attempt]))).toBe('429 TOO_MANY_ATTEMPTS retry-after 1');
    clock.advance(15 * 60_000);
    for (let i = 0; i < 5; i++) expect(await refusal(limiter.claim([attempt]))).toBe('allowed');
  });

  it('gives a refunded attempt back, with the wait it set, and counts a refused one nowhere', async () => {
    const { limiter } = setUp();
    const account: Attempt = { bucket: 'login.account', key: 'refunded' };
    const address: Attempt = { bucket: 'login.address', key: '10.9.0.2' };
    for (let i = 0; i < 5; i++) await limiter.claim([account]);
    await limiter.refund([account]);
    expect(await refusal(limiter.claim([account, address]))).toBe('allowed');
    // The account waits now; the address's claim is given back with the refusal.
    expect(await refusal(limiter.claim([account, address]))).toBe('429 TOO_MANY_ATTEMPTS retry-after 1');
    const row = await get()
      .db.selectFrom('rateLimits')
      .select('attempts')
      .where('bucket', '=', 'login.address')
      .where('key', '=', '10.9.0.2')
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
  });

  it('purges counts nobody has added to for a day, and keeps the fresh ones', async () => {
    const { clock, limiter } = setUp();
    await limiter.claim([{ bucket: 'payee.person', key: 'idle' }]);
    clock.advance(24 * 3_600_000 + 1);
    await limiter.claim([{ bucket: 'payee.person', key: 'fresh' }]);
    expect(await limiter.purge()).toBeGreaterThanOrEqual(1);
    const keys = await get().db.selectFrom('rateLimits').select('key').where('key', 'in', ['idle', 'fresh']).execute();
    expect(keys.map((r) => r.key)).toEqual(['fresh']);
  });
});
