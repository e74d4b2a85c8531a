// The payment PIN (支付密码): set, change, check, reset. CardsService holds the scope rules and hands
// the PIN work to this class.
//
// A check runs scrypt: tens of milliseconds of CPU on libuv's small thread pool. It must never run
// while a transaction holds the PIN row or a pooled connection. It once did (SELECT … FOR UPDATE,
// then scrypt): under 40 concurrent transfers by one person every pooled connection waited on that
// row and another person's wallet read took over 4 s. Now a check reads the hash without a lock,
// verifies with no connection held, one check at a time per person, and records the outcome in one
// statement that also settles the race with checks on other app instances.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, systemActor, type Actor, type AuditTables } from '../../platform/audit.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/password.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { RateLimiter, type Attempt, type RateLimitTables } from '../../platform/rate-limit.ts';
import { pinProblem } from './pin.ts';
import * as q from './queries.ts';
import type { CardNotice, PinStatus } from './service.ts';
import type { CardTables } from './tables.ts';

export interface PaymentPinOptions {
  /** Wrong PINs in a row before the PIN locks. */
  maxFailures: number;
  lockMinutes: number;
  /** Tells the person, inside the transaction of the change (the cards module's outbox notices). */
  notify: (trx: Tx, notice: CardNotice) => Promise<void>;
}

const pinLocked = (lockedUntil: Date): AppError =>
  new AppError('PIN_LOCKED', 423, 'Too many wrong PINs: the payment PIN is locked for a while', {
    lockedUntil: lockedUntil.toISOString(),
  });

// A check verifies against the PIN it read. When another check locked it, or the person changed it,
// while scrypt ran, the check looks again; this many times at most.
const CHECK_ROUNDS = 3;

export class PaymentPins {
  private readonly limiter: RateLimiter;
  /** The check running (or last queued) per person on this instance. */
  private readonly checks = new Map<number, Promise<void>>();

  constructor(
    private readonly db: Kysely<CardTables & AuditTables & RateLimitTables>,
    private readonly clock: Clock,
    private readonly options: PaymentPinOptions,
  ) {
    this.limiter = new RateLimiter(db, clock);
  }

  async status(personId: number): Promise<PinStatus> {
    const pin = await q.findPin(this.db, personId);
    const now = this.clock.now();
    return {
      set: pin !== undefined,
      lockedUntil: pin?.lockedUntil && pin.lockedUntil > now ? pin.lockedUntil.toISOString() : null,
      changedAt: pin?.changedAt.toISOString() ?? null,
    };
  }

  /** Sets the PIN the first time, or changes it: a change needs the current PIN. */
  async set(personId: number, pin: string, oldPin: string | undefined, actor: Actor): Promise<void> {
    const problem = pinProblem(pin);
    if (problem) throw invalid(problem.code, problem.message, [{ path: '/body/pin', message: problem.message }]);
    const existing = await q.findPin(this.db, personId);
    if (existing) {
      if (oldPin === undefined) throw invalid('PIN_OLD_REQUIRED', 'Give the current PIN to change it');
      await this.verify(personId, oldPin, actor);
    }
    const pinHash = await hashPassword(pin);
    await this.db.transaction().execute(async (trx) => {
      await q.upsertPin(trx, personId, pinHash, this.clock.now());
      await recordAudit(trx, actor, {
        action: existing ? 'payment_pin.change' : 'payment_pin.set',
        entity: 'payment_pin',
        entityId: personId,
      });
    });
  }

  /**
   * Checks a person's payment PIN (transfers, shop purchases over the limit, cancelling a loss report).
   * Call it before opening the money transaction: a wrong PIN's count must stick whatever happens next.
   * Refuses PIN_NOT_SET (409), PIN_WRONG (403, `attemptsLeft`), PIN_LOCKED (423, `lockedUntil`), and
   * TOO_MANY_ATTEMPTS (429) when wrong PINs pile up from one address across people.
   */
  verify(personId: number, pin: string, actor: Actor = systemActor): Promise<void> {
    // One at a time per person: a burst queues here instead of taking every scrypt thread from the
    // other people paying at the same moment.
    const previous = this.checks.get(personId) ?? Promise.resolve();
    const check = previous.then(() => this.check(personId, pin, actor));
    const settled = check.catch(() => undefined);
    this.checks.set(personId, settled);
    void settled.then(() => {
      if (this.checks.get(personId) === settled) this.checks.delete(personId);
    });
    return check;
  }

  /** An administrator clears a forgotten or locked PIN; the person then sets a new one. Audited. */
  async reset(personId: number, actor: Actor, reason: string | undefined): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const stored = await q.findPin(trx, personId, { forUpdate: true });
      if (!stored) throw conflict('PIN_NOT_SET', 'This person has no payment PIN to reset');
      await q.deletePin(trx, personId);
      await recordAudit(trx, actor, {
        action: 'payment_pin.reset',
        entity: 'payment_pin',
        entityId: personId,
        before: { failedAttempts: stored.failedAttempts, lockedUntil: stored.lockedUntil?.toISOString() ?? null },
        after: { reason: reason ?? null },
      });
      await this.options.notify(trx, { personId, kind: 'pin.reset', payload: {} });
    });
  }

  private async check(personId: number, pin: string, actor: Actor): Promise<void> {
    // Internal callers (no client address) are not counted per address.
    const address: Attempt[] = actor.ip ? [{ bucket: 'pin.address', key: actor.ip }] : [];
    for (let round = 0; round < CHECK_ROUNDS; round++) {
      const stored = await q.findPin(this.db, personId);
      if (!stored) throw conflict('PIN_NOT_SET', 'Set a payment PIN first');
      const now = this.clock.now();
      if (stored.lockedUntil && stored.lockedUntil > now) throw pinLocked(stored.lockedUntil);
      await this.limiter.claim(address);
      // No transaction and no connection while scrypt runs.
      if (await verifyPassword(pin, stored.pinHash)) {
        await this.limiter.refund(address);
        if (await q.clearPinFailures(this.db, personId, stored.pinHash, now)) return;
      } else {
        const counted = await this.countFailure(personId, stored.pinHash, actor, now);
        if (counted?.lockedUntil) throw pinLocked(counted.lockedUntil);
        if (counted) {
          throw new AppError('PIN_WRONG', 403, 'Wrong payment PIN', {
            attemptsLeft: this.options.maxFailures - counted.failedAttempts,
          });
        }
      }
      // Locked by another check, changed or reset while scrypt ran: look at the PIN again.
    }
    throw conflict('PIN_CHANGED', 'The payment PIN changed while it was being checked; try again');
  }

  /**
   * Counts one wrong PIN, unless the PIN changed or got locked meanwhile (then undefined). The check
   * that reaches the maximum locks the PIN, and only it writes the audit row and tells the person.
   */
  private async countFailure(personId: number, pinHash: string, actor: Actor, now: Date) {
    const lockUntil = new Date(now.getTime() + this.options.lockMinutes * 60_000);
    return this.db.transaction().execute(async (trx) => {
      const counted = await q.countPinFailure(trx, { personId, pinHash, now, lockUntil }, this.options.maxFailures);
      if (counted?.lockedUntil) {
        await recordAudit(trx, actor, {
          action: 'payment_pin.locked',
          entity: 'payment_pin',
          entityId: personId,
          after: { lockedUntil: counted.lockedUntil.toISOString() },
        });
        await this.options.notify(trx, {
          personId,
          kind: 'pin.locked',
          payload: { lockedUntil: counted.lockedUntil.toISOString() },
        });
      }
      return counted;
    });
  }
}
