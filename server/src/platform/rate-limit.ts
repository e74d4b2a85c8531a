// Rate limits with growing delays, kept in PostgreSQL so every app instance counts the same attempts
// (DESIGN §5): sign-in per account name and per address, payment PINs per address, and the colleague
// lookup whose sequential employee numbers could otherwise be walked.
//
// Why not @fastify/rate-limit: it counts every request in fixed windows and refuses at a fixed
// maximum. A sign-in must count what fails (a right password gives its attempt back), and the wait
// must grow with each further attempt rather than shut the door for a whole window.
import { sql, type Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import { AppError } from './errors.ts';
import type { Principal } from './auth/service.ts';
import type { App } from './http.ts';

export interface RateLimitsTable {
  bucket: string;
  key: string;
  attempts: number;
  lastAttemptAt: Date;
  blockedUntil: Date | null;
}

export interface RateLimitTables {
  rateLimits: RateLimitsTable;
}

export interface RateLimitPolicy {
  /** Attempts in a row that never wait. */
  free: number;
  /** The wait after the last free attempt; each further attempt doubles it, up to the maximum. */
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  /** A spell this long without an attempt starts the count again. */
  forgetAfterMinutes: number;
}

/**
 * Every limit in one place, so a review shows any change (docs/operations.md explains them). A bucket's
 * name ends in what it counts per: `.account` (a user name), `.address` (the client's IP), `.person`.
 */
export const RATE_LIMITS = {
  // Wrong passwords for one user name, from anywhere. The cap is what keeps a guesser from locking the
  // real person out: at worst they wait a minute between tries. It also holds guessing to about
  // 60 an hour per account (ASVS 2.2.1 asks for at most 100).
  'login.account': { free: 5, firstDelaySeconds: 1, maxDelaySeconds: 60, forgetAfterMinutes: 15 },
  // Wrong passwords from one address, for any user name (spraying one password over many names).
  // Generous, because the desks of a hospital may reach us through one NAT address.
  'login.address': { free: 20, firstDelaySeconds: 1, maxDelaySeconds: 900, forgetAfterMinutes: 60 },
  // Wrong payment PINs from one address, across people; each person's PIN also locks after five.
  'pin.address': { free: 20, firstDelaySeconds: 1, maxDelaySeconds: 900, forgetAfterMinutes: 60 },
  // Colleague lookups by employee number (every lookup counts, found or not: numbers are sequential).
  'payee.person': { free: 20, firstDelaySeconds: 1, maxDelaySeconds: 300, forgetAfterMinutes: 15 },
  'payee.address': { free: 100, firstDelaySeconds: 1, maxDelaySeconds: 300, forgetAfterMinutes: 15 },
} as const satisfies Record<string, RateLimitPolicy>;

export type RateLimitBucket = keyof typeof RATE_LIMITS;

export interface Attempt {
  bucket: RateLimitBucket;
  /** Whose attempts: a user name, an address, a person id. */
  key: string;
}

const MAX_KEY_LENGTH = 200;
// 2^30 seconds is decades: the exponent stops there so power() never overflows.
const MAX_DOUBLINGS = 30;

export const tooManyAttempts = (retryAfterSeconds: number): AppError =>
  new AppError(
    'TOO_MANY_ATTEMPTS',
    429,
    'Too many attempts: wait a little, then try again',
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

export class RateLimiter {
  constructor(
    private readonly db: Kysely<RateLimitTables>,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one attempt on each key, or refuses with 429 TOO_MANY_ATTEMPTS (Retry-After) when one of
   * them still has to wait; a refused attempt counts nowhere. Counting before the work, not after it
   * failed, is what stops a burst of attempts sent at once from all getting through.
   */
  async claim(attempts: Attempt[]): Promise<void> {
    const claimed: Attempt[] = [];
    for (const attempt of attempts) {
      if (!(await this.claimOne(attempt))) {
        await this.refund(claimed);
        throw tooManyAttempts(await this.waitSeconds(attempt));
      }
      claimed.push(attempt);
    }
  }

  /** Gives claimed attempts back (the work succeeded): only failures are meant to add up. */
  async refund(attempts: Attempt[]): Promise<void> {
    for (const { bucket, key } of attempts) {
      const { free } = RATE_LIMITS[bucket];
      await this.db
        .updateTable('rateLimits')
        .set((eb) => ({
          attempts: eb('attempts', '-', 1),
          blockedUntil: eb.case().when('attempts', '>', free).then(eb.ref('blockedUntil')).else(null).end(),
        }))
        .where('bucket', '=', bucket)
        .where('key', '=', keyOf(key))
        .where('attempts', '>', 0)
        .execute();
    }
  }

  /** Forgets a key's attempts, e.g. an account's after its right password. */
  async reset({ bucket, key }: Attempt): Promise<void> {
    await this.db.deleteFrom('rateLimits').where('bucket', '=', bucket).where('key', '=', keyOf(key)).execute();
  }

  /** Deletes counts nobody has added to for a day (no wait lasts that long). Returns how many went. */
  async purge(): Promise<number> {
    const idleSince = new Date(this.clock.now().getTime() - 24 * 3_600_000);
    const result = await this.db.deleteFrom('rateLimits').where('lastAttemptAt', '<', idleSince).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** One statement, so attempts at the same moment on several instances each count exactly once. */
  private async claimOne({ bucket, key }: Attempt): Promise<boolean> {
    const policy: RateLimitPolicy = RATE_LIMITS[bucket];
    const now = this.clock.now();
    const quietSince = new Date(now.getTime() - policy.forgetAfterMinutes * 60_000);
    // In ON CONFLICT DO UPDATE every expression sees the row as it was: `next` is this attempt's number.
    const next = sql<number>`CASE WHEN rate_limits.last_attempt_at <= ${quietSince} THEN 1 ELSE rate_limits.attempts + 1 END`;
    const claimed = await this.db
      .insertInto('rateLimits')
      .values({ bucket, key: keyOf(key), attempts: 1, lastAttemptAt: now, blockedUntil: blockedAfter(1, policy, now) })
      .onConflict((oc) =>
        oc
          .columns(['bucket', 'key'])
          .doUpdateSet({
            attempts: next,
            lastAttemptAt: now,
            blockedUntil: sql<Date | null>`CASE WHEN ${next} >= ${policy.free}
              THEN ${now}::timestamptz + LEAST(${policy.maxDelaySeconds}::float8,
                ${policy.firstDelaySeconds}::float8 * power(2, LEAST(${next} - ${policy.free}, ${MAX_DOUBLINGS})))
                * interval '1 second'
              END`,
          })
          .where((eb) => eb.or([eb('rateLimits.blockedUntil', 'is', null), eb('rateLimits.blockedUntil', '<=', now)])),
      )
      .returning('attempts')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  private async waitSeconds({ bucket, key }: Attempt): Promise<number> {
    const row = await this.db
      .selectFrom('rateLimits')
      .select('blockedUntil')
      .where('bucket', '=', bucket)
      .where('key', '=', keyOf(key))
      .executeTakeFirst();
    const ms = (row?.blockedUntil?.getTime() ?? 0) - this.clock.now().getTime();
    return Math.max(1, Math.ceil(ms / 1000));
  }
}

const keyOf = (key: string): string => key.slice(0, MAX_KEY_LENGTH);

/** When the attempt numbered `n` makes the next one wait until (the same rule as claimOne's SQL). */
function blockedAfter(n: number, policy: RateLimitPolicy, now: Date): Date | null {
  if (n < policy.free) return null;
  const seconds = Math.min(
    policy.maxDelaySeconds,
    policy.firstDelaySeconds * 2 ** Math.min(n - policy.free, MAX_DOUBLINGS),
  );
  return new Date(now.getTime() + seconds * 1000);
}

/** The buckets a route may name in `config.rateLimit`: counted per signed-in person or per address. */
export type RouteRateLimit = Extract<RateLimitBucket, `${string}.person` | `${string}.address`>;

/** Whom a '.person' bucket counts: a person by id (as before tokens existed), a token apart from any person. */
const callerKey = (principal: Principal | null): string =>
  principal === null
    ? 'anonymous'
    : principal.kind === 'person'
      ? String(principal.personId)
      : `token-${principal.tokenId}`;

/**
 * Counts every request to a route that declares `config: { rateLimit: [...] }`, after the access
 * check (so the person is known) and before the body or query is validated.
 */
export function installRouteRateLimits(app: App, limiter: RateLimiter): void {
  app.addHook('onRequest', async (request) => {
    const buckets = request.routeOptions.config.rateLimit;
    if (!buckets?.length) return;
    await limiter.claim(
      buckets.map((bucket) => ({
        bucket,
        key: bucket.endsWith('.person') ? callerKey(request.principal) : request.ip,
      })),
    );
  });
}
