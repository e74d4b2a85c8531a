// Payment PIN checks under load: scrypt runs with no lock and no connection held, wrong PINs count
// exactly even when several app instances check at once, and guessing across people from one
// address is slowed down.
import { expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { joinPerson, newPerson } from '../../../test/factories.ts';
import { systemActor, type Actor } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { CardsService } from './service.ts';

async function outcome(check: Promise<unknown>): Promise<string> {
  try {
    await check;
    return 'ok';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const left = error.details['attemptsLeft'];
    return left === undefined ? error.code : `${error.code} ${String(left)}`;
  }
}

describeApp('payment PIN checks', (get) => {
  it('lets another person read their wallet while one person’s burst of PIN checks runs', async () => {
    const t = get();
    const payer = await newPerson(t.database.db);
    const other = await joinPerson(t);
    await t.services.cards.setPin(payer.id, '385912', undefined, systemActor);
    let checked = 0;
    // Twenty transfers at once by one person: each checks the PIN first (scrypt, tens of ms each).
    const burst = Array.from({ length: 20 }, () =>
      t.services.cards.verifyPin(payer.id, '385912', systemActor).then(() => checked++),
    );
    const wallet = await t.services.wallets.balances(other.id);
    // Had a check held its connection (or the PIN row) while scrypt ran, this read would have had to
    // wait for at least one check to finish.
    const checkedBeforeTheRead = checked;
    await Promise.all(burst);
    expect(wallet).toMatchObject({ subsidyFen: 0, ownFen: 0 });
    expect(checkedBeforeTheRead).toBe(0);
    expect(checked).toBe(20);
  });

  it('counts wrong PINs checked at once on several app instances exactly, and locks once', async () => {
    const t = get();
    const holder = await newPerson(t.database.db);
    await t.services.cards.setPin(holder.id, '385912', undefined, systemActor);
    // Four app instances on one database: their per-person queues do not see each other.
    const instances = Array.from(
      { length: 4 },
      () => new CardsService(t.database.db, t.clock, { directory: t.services.directory }),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome(instances[i % 4]!.verifyPin(holder.id, '000111', systemActor))),
    );
    expect(outcomes.filter((o) => o.startsWith('PIN_WRONG')).sort()).toEqual([
      'PIN_WRONG 1',
      'PIN_WRONG 2',
      'PIN_WRONG 3',
      'PIN_WRONG 4',
    ]);
    expect(outcomes.filter((o) => o === 'PIN_LOCKED')).toHaveLength(8);
    const db = t.database.db;
    const pin = await db
      .selectFrom('paymentPins')
      .select(['failedAttempts', 'lockedUntil'])
      .where('personId', '=', holder.id)
      .executeTakeFirstOrThrow();
    expect(pin.failedAttempts).toBe(0);
    expect(pin.lockedUntil?.getTime()).toBe(t.clock.now().getTime() + 30 * 60_000);
    const locks = await db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'payment_pin.locked')
      .where('entityId', '=', String(holder.id))
      .execute();
    expect(locks).toHaveLength(1);
    const notices = await db.selectFrom('outboxMessages').select('payload').where('personId', '=', holder.id).execute();
    expect(notices.filter((n) => n.payload['kind'] === 'pin.locked')).toHaveLength(1);
  });

  it('slows down wrong PINs piling up from one address across people', async () => {
    const t = get();
    const guesser: Actor = { personId: null, requestId: 'guess', ip: '10.6.0.1' };
    const people = await Promise.all(Array.from({ length: 6 }, () => newPerson(t.database.db)));
    for (const person of people) await t.services.cards.setPin(person.id, '385912', undefined, systemActor);
    const outcomes: string[] = [];
    // Four wrong PINs per person, below each person's lock: only the address count can stop this.
    for (const person of people.slice(0, 5)) {
      for (let i = 0; i < 4; i++)
        outcomes.push(await outcome(t.services.cards.verifyPin(person.id, '000111', guesser)));
    }
    expect(outcomes.every((o) => o.startsWith('PIN_WRONG'))).toBe(true);
    expect(await outcome(t.services.cards.verifyPin(people[5]!.id, '000111', guesser))).toBe('TOO_MANY_ATTEMPTS');
    // The person paying at another till is not held up.
    expect(await outcome(t.services.cards.verifyPin(people[5]!.id, '385912', { ...guesser, ip: '10.6.0.2' }))).toBe(
      'ok',
    );
  });
});
