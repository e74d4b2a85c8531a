// 退卡 on leaving (account return): the cards and the money, in one transaction, at the counter.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { joinPerson, newHospital, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/audit.ts';
import { closeAndSettle } from '../../../test/settle.ts';

const newUid = (): string => randomBytes(4).toString('hex').toUpperCase();

describeApp('退卡: returning the account of a person who leaves', (get) => {
  afterAll(() => closeAndSettle(get().database));
  beforeAll(async () => {
    const hospital = await newHospital(get().database.db);
    await get().services.wallets.updateSettings(hospital.id, { cashCounters: ['W01', 'W02'] }, systemActor);
  });

  /** A person with two cards, ¥300 subsidy granted, ¥88.50 own funds topped up and ¥12 spent (subsidy first). */
  async function leaver() {
    const t = get();
    const person = await joinPerson(t);
    const cards = [
      await t.services.cards.issueCard(person.id, newUid(), systemActor),
      await t.services.cards.issueCard(person.id, newUid(), systemActor),
    ];
    await t.services.funding.grantSubsidies(
      null,
      { batchId: `test-${randomUUID()}`, month: '2026-03', lines: [{ personId: person.id, amountFen: 30_000 }] },
      systemActor,
    );
    await t.services.funding.topUp(
      null,
      { personId: person.id, amountFen: 8_850, source: 'cash', counter: 'W01', reference: randomUUID() },
      systemActor,
    );
    await t.services.wallets.spend(
      null,
      {
        personId: person.id,
        amountFen: 1_200,
        merchant: 'canteen-1',
        counter: 'W02',
        terminal: 'POS-2',
        idempotencyKey: randomUUID(),
      },
      systemActor,
    );
    return { person, cards };
  }

  const returnAccount = async (cookie: string, personId: number, key: string, body: Record<string, unknown>) =>
    get().app.inject({
      method: 'POST',
      url: `/api/people/${personId}/account-return`,
      headers: { cookie, 'idempotency-key': key },
      payload: body,
    });

  it('pays own funds out exactly, returns the subsidy, closes the wallet and revokes every card', async () => {
    const t = get();
    const admin = await signIn(t, ['admin']);
    const { person, cards } = await leaver();
    const response = await returnAccount(admin.cookie, person.id, randomUUID(), { counter: 'W01', reason: '离职' });
    expect(response.statusCode).toBe(200);
    const receipt = response.json();
    expect(receipt).toMatchObject({
      personId: person.id,
      ownPaidOutFen: 8_850,
      subsidyReturnedFen: 28_800,
      counter: 'W01',
      balance: { subsidyFen: 0, ownFen: 0, heldFen: 0 },
      revokedCardIds: cards.map((c) => c.id),
      reason: '离职',
      cashierId: admin.person.id,
      replayed: false,
    });
    expect(receipt.receiptNo).toMatch(/^TK\d{8}-\d+$/);
    expect(await t.services.wallets.balances(person.id)).toEqual({
      subsidyFen: 0,
      ownFen: 0,
      heldFen: 0,
      availableFen: 0,
      status: 'closed',
    });
    // The payout is one balanced entry: own purse → the counter's cash.
    const [payout] = (await t.services.ledger.journal({ personId: person.id, kinds: ['withdrawal_settle'] })).items;
    expect(payout?.id).toBe(receipt.payoutEntryId);
    expect(payout?.postings.map((p) => [p.accountKind, p.code, p.amountFen]).sort()).toEqual(
      [
        ['counter_cash', 'W01', 8_850],
        ['own_purse', '', -8_850],
      ].sort(),
    );
    for (const card of cards) {
      await expect(t.services.cards.resolveCard(card.uid)).rejects.toMatchObject({ code: 'CARD_REVOKED' });
    }
    const notices = await t.database.db
      .selectFrom('outboxMessages')
      .select(['topic', 'payload'])
      .where('personId', '=', person.id)
      .orderBy('id')
      .execute();
    expect(notices.at(-1)).toMatchObject({
      topic: 'card.notice',
      payload: { kind: 'account.returned', receiptNo: receipt.receiptNo, ownPaidOutFen: 8_850 },
    });
    expect(notices.map((n) => (n.payload as { kind: string }).kind)).toEqual(
      expect.arrayContaining(['withdrawal_settle', 'subsidy_expiry']),
    );
    const audit = await t.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'account.return')
      .where('entityId', '=', String(person.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect((await t.services.ledger.verify()).breaches).toEqual([]);
  });

  it('returns the same receipt for a retried Idempotency-Key and refuses the key for another request', async () => {
    const t = get();
    const admin = await signIn(t, ['admin']);
    const { person } = await leaver();
    const key = randomUUID();
    const first = await returnAccount(admin.cookie, person.id, key, { counter: 'W01' });
    const again = await returnAccount(admin.cookie, person.id, key, { counter: 'W01' });
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const payouts = await t.services.ledger.journal({ personId: person.id, kinds: ['withdrawal_settle'] });
    expect(payouts.items).toHaveLength(1);
    const other = await returnAccount(admin.cookie, person.id, key, { counter: 'W02' });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A new key finds the wallet already closed.
    const twice = await returnAccount(admin.cookie, person.id, randomUUID(), { counter: 'W01' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('WALLET_CLOSED');
  });

  it('refuses while a withdrawal is pending and changes nothing', async () => {
    const t = get();
    const admin = await signIn(t, ['admin']);
    const { person, cards } = await leaver();
    await t.services.withdrawals.request(
      { personId: person.id, amountFen: 1_000, idempotencyKey: randomUUID() },
      systemActor,
    );
    const before = await t.services.wallets.balances(person.id);
    const response = await returnAccount(admin.cookie, person.id, randomUUID(), { counter: 'W01' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'WITHDRAWAL_PENDING' });
    expect(await t.services.wallets.balances(person.id)).toEqual(before);
    await expect(t.services.cards.resolveCard(cards[0]!.uid)).resolves.toMatchObject({ personId: person.id });
  });

  it('returns the account of a person with no money at all, and it stays closed when they leave', async () => {
    const t = get();
    const person = await joinPerson(t);
    const receipt = await t.services.cards.returnAccount(
      person.id,
      { counter: 'W01', idempotencyKey: randomUUID() },
      systemActor,
    );
    expect(receipt).toMatchObject({ ownPaidOutFen: 0, subsidyReturnedFen: 0, payoutEntryId: null, revokedCardIds: [] });
    expect((await t.services.wallets.balances(person.id)).status).toBe('closed');
    // HR records the leaving afterwards: the wallet stays closed, not merely frozen.
    const hospital = await newHospital(t.database.db);
    await t.database.db
      .transaction()
      .execute((trx) => t.services.org.markPeopleLeft(trx, hospital.id, [person.id], systemActor));
    expect((await t.services.wallets.balances(person.id)).status).toBe('closed');
  });

  it('refuses a counter the hospital has not set up (422 UNKNOWN_COUNTER) and changes nothing', async () => {
    const t = get();
    const admin = await signIn(t, ['admin']);
    const { person, cards } = await leaver();
    const before = await t.services.wallets.balances(person.id);
    const response = await returnAccount(admin.cookie, person.id, randomUUID(), { counter: 'W9' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'UNKNOWN_COUNTER', errors: [{ path: '/counter' }] });
    expect(await t.services.wallets.balances(person.id)).toEqual(before);
    await expect(t.services.cards.resolveCard(cards[0]!.uid)).resolves.toMatchObject({ personId: person.id });
  });

  it('needs accounts.manage and an Idempotency-Key', async () => {
    const t = get();
    const allowed = rolesWith('accounts.manage');
    for (const role of ROLES) {
      const session = await signIn(t, [role]);
      const { person } = await leaver();
      const response = await returnAccount(session.cookie, person.id, randomUUID(), { counter: 'W01' });
      expect(response.statusCode, role).toBe(allowed.includes(role) ? 200 : 403);
    }
    const admin = await signIn(t, ['admin']);
    const { person } = await leaver();
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/people/${person.id}/account-return`,
      headers: { cookie: admin.cookie },
      payload: { counter: 'W01' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});
