// Test helpers for suites that move money: the app's own services on a fixed clock, wallets with funds,
// and a sale as a till would send it.
import { randomUUID } from 'node:crypto';
import { testConfig } from '../src/config.ts';
import type { Actor } from '../src/platform/audit.ts';
import { FixedClock } from '../src/platform/clock.ts';
import { buildServices, type Services } from '../src/services.ts';
import { newPerson } from './factories.ts';
import type { TestDatabase } from './harness.ts';

export const cashier: Actor = { personId: null, requestId: 'test', ip: '' };

export interface MoneyServices extends Services {
  clock: FixedClock;
}

/** Every service of the app, on its own fixed clock (2026-03-02 12:00 in Shanghai). */
export function moneyServices(database: TestDatabase, at = '2026-03-02T04:00:00Z'): MoneyServices {
  const clock = new FixedClock(new Date(at));
  return { ...buildServices(database.db, testConfig(), clock), clock };
}

/** A person with an open wallet, optionally funded (own funds by the test channel, subsidy by a batch). */
export async function walletWith(
  database: TestDatabase,
  services: Services,
  funds: { ownFen?: number; subsidyFen?: number } = {},
) {
  const person = await newPerson(database.db);
  await services.wallets.openWallets(null, [person]);
  if (funds.ownFen) {
    await services.funding.topUp(
      null,
      { personId: person.id, amountFen: funds.ownFen, source: 'test', reference: randomUUID() },
      cashier,
    );
  }
  if (funds.subsidyFen) {
    await services.funding.grantSubsidies(
      null,
      { batchId: randomUUID(), month: '2026-03', lines: [{ personId: person.id, amountFen: funds.subsidyFen }] },
      cashier,
    );
  }
  return person;
}

/** A sale as a till sends it: one fresh idempotency key per attempt. */
export const sale = (personId: number, amountFen: number, extra: Record<string, unknown> = {}) => ({
  personId,
  amountFen,
  merchant: 'canteen-1',
  counter: 'W01',
  terminal: 'POS-1',
  idempotencyKey: randomUUID(),
  ...extra,
});
