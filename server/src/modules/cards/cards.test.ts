import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { newPerson, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith, type Role } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { normaliseCardUid, pinProblem } from './pin.ts';

const newUid = (): string => randomBytes(4).toString('hex').toUpperCase();
const unique = (): string => randomBytes(3).toString('hex');

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('payment PIN and card UID rules', () => {
  it.each(['111111', '000000', '123456', '234567', '654321', '987654', '890123', '121212', '123123'])(
    'refuses the weak PIN %s',
    (pin) => expect(pinProblem(pin)?.code).toBe('PIN_TOO_WEAK'),
  );
  it.each(['12345', '1234567', 'abcdef', '12 456', ''])('refuses the malformed PIN "%s"', (pin) =>
    expect(pinProblem(pin)?.code).toBe('PIN_FORMAT'),
  );
  it.each(['385912', '102938', '551177'])('accepts the PIN %s', (pin) => expect(pinProblem(pin)).toBeNull());
  it('normalises UIDs as readers print them and refuses what is not whole bytes of hex', () => {
    expect(normaliseCardUid('04:a2:1b:7c')).toBe('04A21B7C');
    expect(normaliseCardUid(' 04 A2 1B 7C 11 22 33 ')).toBe('04A21B7C112233');
    expect(normaliseCardUid('04A21B7')).toBeNull();
    expect(normaliseCardUid('XYZ12345')).toBeNull();
  });
});

describeApp('cards (建卡管理)', (get) => {
  const cards = () => get().services.cards;
  const person = () => newPerson(get().database.db);

  it('issues a card and resolves it for payment, whatever separators the reader prints', async () => {
    const holder = await person();
    const uid = newUid();
    const card = await cards().issueCard(holder.id, uid.toLowerCase().match(/../g)!.join(':'), systemActor);
    expect(card).toMatchObject({ personId: holder.id, uid, status: 'active' });
    await expect(cards().resolveCard(uid)).resolves.toMatchObject({ cardId: card.id, personId: holder.id });
    const audit = await get()
      .database.db.selectFrom('auditLog')
      .selectAll()
      .where('entity', '=', 'card')
      .where('entityId', '=', String(card.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['card.issue']);
  });

  it('refuses an unknown card with CARD_UNKNOWN', async () => {
    expect((await rejection(cards().resolveCard(newUid()))).code).toBe('CARD_UNKNOWN');
  });

  it('keeps a UID unique among live cards, and lets a revoked UID be issued again', async () => {
    const [a, b] = [await person(), await person()];
    const uid = newUid();
    const first = await cards().issueCard(a.id, uid, systemActor);
    expect((await rejection(cards().issueCard(b.id, uid, systemActor))).code).toBe('CARD_UID_IN_USE');
    await cards().reportCardLost(first.id, systemActor);
    expect((await rejection(cards().issueCard(b.id, uid, systemActor))).code).toBe('CARD_UID_IN_USE');
    await cards().returnCard(first.id, systemActor);
    const second = await cards().issueCard(b.id, uid, systemActor);
    await expect(cards().resolveCard(uid)).resolves.toMatchObject({ cardId: second.id, personId: b.id });
  });

  it('refuses two desks issuing the same UID at once: exactly one wins', async () => {
    const [a, b] = [await person(), await person()];
    const uid = newUid();
    const results = await Promise.allSettled([
      cards().issueCard(a.id, uid, systemActor),
      cards().issueCard(b.id, uid, systemActor),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason.code).toBe('CARD_UID_IN_USE');
  });

  it('refuses a card reported lost at once, and cancelling the loss needs the right PIN', async () => {
    const holder = await person();
    const card = await cards().issueCard(holder.id, newUid(), systemActor);
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    await cards().reportCardLost(card.id, systemActor, { ownerId: holder.id });
    expect((await rejection(cards().resolveCard(card.uid))).code).toBe('CARD_LOST');
    const notices = await get()
      .database.db.selectFrom('outboxMessages')
      .select(['topic', 'payload'])
      .where('personId', '=', holder.id)
      .orderBy('id')
      .execute();
    expect(notices.map((n) => [n.topic, n.payload['kind']])).toEqual([
      ['card.notice', 'card.issued'],
      ['card.notice', 'card.lost'],
    ]);

    const wrong = await rejection(cards().cancelCardLoss(card.id, holder.id, '999888', systemActor));
    expect(wrong.code).toBe('PIN_WRONG');
    expect(wrong.details).toEqual({ attemptsLeft: 4 });
    expect((await rejection(cards().resolveCard(card.uid))).code).toBe('CARD_LOST');

    const found = await cards().cancelCardLoss(card.id, holder.id, '385912', systemActor);
    expect(found.status).toBe('active');
    await expect(cards().resolveCard(card.uid)).resolves.toMatchObject({ personId: holder.id });
    // The right PIN clears the count of wrong ones.
    const pin = await get()
      .database.db.selectFrom('paymentPins')
      .select('failedAttempts')
      .where('personId', '=', holder.id)
      .executeTakeFirstOrThrow();
    expect(pin.failedAttempts).toBe(0);
  });

  it("does not let a person report or recover someone else's card", async () => {
    const [owner, other] = [await person(), await person()];
    const card = await cards().issueCard(owner.id, newUid(), systemActor);
    expect((await rejection(cards().reportCardLost(card.id, systemActor, { ownerId: other.id }))).code).toBe(
      'NOT_FOUND',
    );
    await cards().reportCardLost(card.id, systemActor);
    await cards().setPin(other.id, '385912', undefined, systemActor);
    expect((await rejection(cards().cancelCardLoss(card.id, other.id, '385912', systemActor))).code).toBe('NOT_FOUND');
  });

  it('replaces a card: the old one is revoked for good, the new one pays', async () => {
    const holder = await person();
    const old = await cards().issueCard(holder.id, newUid(), systemActor);
    await cards().reportCardLost(old.id, systemActor);
    const { old: revoked, card } = await cards().replaceCard(old.id, newUid(), systemActor, {
      reason: 'lost in the lift',
    });
    expect(revoked).toMatchObject({ status: 'revoked', revokedReason: 'replaced', replacedById: card.id });
    expect((await rejection(cards().resolveCard(old.uid))).code).toBe('CARD_REVOKED');
    await expect(cards().resolveCard(card.uid)).resolves.toMatchObject({ cardId: card.id, personId: holder.id });
    // Nothing brings a revoked card back.
    expect((await rejection(cards().replaceCard(old.id, newUid(), systemActor))).code).toBe('CARD_REVOKED');
    expect((await rejection(cards().reportCardLost(old.id, systemActor))).code).toBe('CARD_REVOKED');
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    expect((await rejection(cards().cancelCardLoss(old.id, holder.id, '385912', systemActor))).code).toBe(
      'CARD_NOT_LOST',
    );
    expect((await cards().listCards(holder.id)).map((c) => c.status)).toEqual(['revoked', 'active']);
  });

  it('refuses a replacement with a UID already live, leaving the old card as it was', async () => {
    const holder = await person();
    const old = await cards().issueCard(holder.id, newUid(), systemActor);
    const other = await cards().issueCard((await person()).id, newUid(), systemActor);
    expect((await rejection(cards().replaceCard(old.id, other.uid, systemActor))).code).toBe('CARD_UID_IN_USE');
    await expect(cards().resolveCard(old.uid)).resolves.toMatchObject({ cardId: old.id });
  });

  it('revokes every live card of a person who leaves, in the same transaction, so offline tills refuse them', async () => {
    const holder = await person();
    const [a, b] = [
      await cards().issueCard(holder.id, newUid(), systemActor),
      await cards().issueCard(holder.id, newUid(), systemActor),
    ];
    await cards().reportCardLost(b.id, systemActor);
    const before = (await cards().denyList(0)).version;
    await get().services.org.updatePerson(holder.hospitalId, holder.id, { status: 'left' }, systemActor);
    expect((await cards().listCards(holder.id)).map((c) => [c.status, c.revokedReason])).toEqual([
      ['revoked', 'returned'],
      ['revoked', 'returned'],
    ]);
    expect((await cards().denyList(before)).changes.map((c) => [c.uid, c.status])).toEqual([
      [a.uid, 'revoked'],
      [b.uid, 'revoked'],
    ]);
    expect((await rejection(cards().resolveCard(a.uid))).code).toBe('CARD_REVOKED');
  });

  it('lets a loss report race the person leaving without a deadlock', async () => {
    for (let i = 0; i < 5; i++) {
      const holder = await person();
      const card = await cards().issueCard(holder.id, newUid(), systemActor);
      const results = await Promise.allSettled([
        get().services.org.updatePerson(holder.hospitalId, holder.id, { status: 'left' }, systemActor),
        cards().reportCardLost(card.id, systemActor),
      ]);
      const failures = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason.code);
      expect(failures.every((code) => code === 'CARD_REVOKED')).toBe(true);
      expect((await cards().listCards(holder.id))[0]?.status).toBe('revoked');
    }
  });

  it('lists every change since a version, in order, so an offline terminal can catch up', async () => {
    const start = (await cards().denyList(0)).version;
    const holder = await person();
    const a = await cards().issueCard(holder.id, newUid(), systemActor);
    const b = await cards().issueCard(holder.id, newUid(), systemActor);
    await cards().reportCardLost(a.id, systemActor);
    const middle = (await cards().denyList(start)).version;
    const { card: c } = await cards().replaceCard(b.id, newUid(), systemActor);

    const sinceStart = await cards().denyList(start);
    expect(sinceStart.changes.map((ch) => [ch.uid, ch.status])).toEqual([
      [a.uid, 'lost'],
      [b.uid, 'revoked'],
      [c.uid, 'active'],
    ]);
    expect(sinceStart.hasMore).toBe(false);
    const versions = sinceStart.changes.map((ch) => ch.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(sinceStart.version).toBe(versions.at(-1));

    expect((await cards().denyList(middle)).changes.map((ch) => ch.uid)).toEqual([b.uid, c.uid]);
    expect(await cards().denyList(sinceStart.version)).toEqual({
      version: sinceStart.version,
      hasMore: false,
      changes: [],
    });

    const page = await cards().denyList(start, 2);
    expect(page).toMatchObject({ hasMore: true, version: versions[1] });
    expect((await cards().denyList(page.version, 2)).changes.map((ch) => ch.uid)).toEqual([c.uid]);
  });

  it('never lets a terminal polling during concurrent changes miss one', async () => {
    const holder = await person();
    let cursor = (await cards().denyList(0)).version;
    const seen: string[] = [];
    let done = false;
    const poller = (async () => {
      while (!done) {
        const page = await cards().denyList(cursor);
        seen.push(...page.changes.map((c) => c.uid));
        cursor = page.version;
      }
    })();
    const issued = await Promise.all(
      Array.from({ length: 8 }, () => cards().issueCard(holder.id, newUid(), systemActor)),
    );
    done = true;
    await poller;
    const last = await cards().denyList(cursor);
    seen.push(...last.changes.map((c) => c.uid));
    expect([...seen].sort()).toEqual(issued.map((c) => c.uid).sort());
  });

  it('refuses weak PINs and asks for the current PIN to change it', async () => {
    const holder = await person();
    expect((await rejection(cards().setPin(holder.id, '123456', undefined, systemActor))).code).toBe('PIN_TOO_WEAK');
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    expect((await rejection(cards().setPin(holder.id, '102938', undefined, systemActor))).code).toBe(
      'PIN_OLD_REQUIRED',
    );
    expect((await rejection(cards().setPin(holder.id, '102938', '000001', systemActor))).code).toBe('PIN_WRONG');
    await cards().setPin(holder.id, '102938', '385912', systemActor);
    await expect(cards().verifyPin(holder.id, '102938', systemActor)).resolves.toBeUndefined();
    expect((await rejection(cards().verifyPin(holder.id, '385912', systemActor))).code).toBe('PIN_WRONG');
  });

  it('locks the PIN after five wrong tries, refuses even the right one while locked, and unlocks later', async () => {
    const { clock } = get();
    const holder = await person();
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await rejection(cards().verifyPin(holder.id, '000111', systemActor))).code);
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_LOCKED']);
    const locked = await rejection(cards().verifyPin(holder.id, '385912', systemActor));
    expect(locked.status).toBe(423);
    expect(locked.code).toBe('PIN_LOCKED');
    expect((await cards().pinStatus(holder.id)).lockedUntil).not.toBeNull();
    clock.advance(31 * 60_000);
    await expect(cards().verifyPin(holder.id, '385912', systemActor)).resolves.toBeUndefined();
  });

  it('counts concurrent wrong PINs one by one, so guessing in parallel gains nothing', async () => {
    const holder = await person();
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => cards().verifyPin(holder.id, '000111', systemActor)),
    );
    const codes = results.map((r) => (r as PromiseRejectedResult).reason.code).sort();
    expect(codes.filter((c) => c === 'PIN_WRONG')).toHaveLength(4);
    expect(codes.filter((c) => c === 'PIN_LOCKED')).toHaveLength(4);
  });

  it('lets an administrator reset a PIN, with an audit row, after which the person sets a new one', async () => {
    const holder = await person();
    const admin = await newPerson(get().database.db, { roles: ['admin'] });
    await cards().setPin(holder.id, '385912', undefined, systemActor);
    await cards().resetPin(holder.id, { personId: admin.id, requestId: 'r1', ip: '10.0.0.1' }, { reason: 'forgot it' });
    expect(await cards().pinStatus(holder.id)).toEqual({ set: false, lockedUntil: null, changedAt: null });
    const audit = await get()
      .database.db.selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'payment_pin.reset')
      .where('entityId', '=', String(holder.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actorId: admin.id, entity: 'payment_pin', after: { reason: 'forgot it' } });
    expect((await rejection(cards().verifyPin(holder.id, '385912', systemActor))).code).toBe('PIN_NOT_SET');
    await cards().setPin(holder.id, '102938', undefined, systemActor);
    await expect(cards().verifyPin(holder.id, '102938', systemActor)).resolves.toBeUndefined();
  });
});

describeApp('cards API', (get) => {
  const t = (): TestApp => get();
  const others = (allowed: readonly Role[]) => ROLES.filter((r) => !allowed.includes(r));

  async function cardOf(personId: number) {
    return t().services.cards.issueCard(personId, newUid(), systemActor);
  }

  it('lets a person report their own card lost and cancel it with the PIN over HTTP', async () => {
    const me = await signIn(t(), ['staff']);
    const card = await cardOf(me.person.id);
    const headers = { cookie: me.cookie };
    const list = await t().app.inject({ url: '/api/me/cards', headers });
    expect(list.json().items.map((c: { id: number }) => c.id)).toEqual([card.id]);

    const lost = await t().app.inject({ method: 'POST', url: `/api/me/cards/${card.id}/report-lost`, headers });
    expect(lost.statusCode).toBe(200);
    expect(lost.json().status).toBe('lost');

    expect((await t().app.inject({ url: '/api/me/pin', headers })).json().set).toBe(false);
    const weak = await t().app.inject({ method: 'PUT', url: '/api/me/pin', headers, payload: { pin: '123456' } });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('PIN_TOO_WEAK');
    const set = await t().app.inject({ method: 'PUT', url: '/api/me/pin', headers, payload: { pin: '385912' } });
    expect(set.statusCode).toBe(204);

    const wrong = await t().app.inject({
      method: 'POST',
      url: `/api/me/cards/${card.id}/cancel-loss`,
      headers,
      payload: { pin: '111222' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'PIN_WRONG', attemptsLeft: 4 });
    const found = await t().app.inject({
      method: 'POST',
      url: `/api/me/cards/${card.id}/cancel-loss`,
      headers,
      payload: { pin: '385912' },
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().status).toBe('active');
  });

  it("keeps staff of one hospital away from another hospital's people and cards (404)", async () => {
    const { cookie } = await signIn(t(), ['admin']);
    const db = t().database.db;
    const other = await db
      .insertInto('hospitals')
      .values({ code: `H${unique()}`, name: '另一家医院' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stranger = await db
      .insertInto('people')
      .values({ hospitalId: other.id, employeeNo: 'X1', name: '外院', departmentId: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const card = await cardOf(stranger.id);
    await t().services.cards.setPin(stranger.id, '385912', undefined, systemActor);
    const attempts = [
      { method: 'GET' as const, url: `/api/cards?personId=${stranger.id}` },
      { method: 'POST' as const, url: '/api/cards', payload: { personId: stranger.id, uid: newUid() } },
      { method: 'POST' as const, url: `/api/cards/${card.id}/report-lost`, payload: {} },
      { method: 'POST' as const, url: `/api/cards/${card.id}/replace`, payload: { uid: newUid() } },
      { method: 'POST' as const, url: `/api/cards/${card.id}/return`, payload: {} },
      { method: 'POST' as const, url: `/api/people/${stranger.id}/pin/reset`, payload: {} },
      { method: 'GET' as const, url: `/api/people/${stranger.id}/pin` },
    ];
    for (const attempt of attempts) {
      const res = await t().app.inject({ ...attempt, headers: { cookie } });
      expect([attempt.url, res.statusCode]).toEqual([attempt.url, 404]);
    }
    expect((await t().services.cards.listCards(stranger.id))[0]?.status).toBe('active');
  });

  it('answers 401 without a session on every cards route', async () => {
    // Bodies are valid, so the refusal comes from the missing session, not from validation.
    const routes: [string, string, object?][] = [
      ['GET', '/api/me/cards'],
      ['POST', '/api/me/cards/1/report-lost'],
      ['POST', '/api/me/cards/1/cancel-loss', { pin: '385912' }],
      ['GET', '/api/me/pin'],
      ['PUT', '/api/me/pin', { pin: '385912' }],
      ['GET', '/api/cards?personId=1'],
      ['POST', '/api/cards', { personId: 1, uid: newUid() }],
      ['POST', '/api/cards/1/report-lost', {}],
      ['POST', '/api/cards/1/replace', { uid: newUid() }],
      ['POST', '/api/cards/1/return', {}],
      ['GET', '/api/cards/deny-list?since=0'],
      ['POST', '/api/people/1/pin/reset', {}],
      ['GET', '/api/people/1/pin'],
    ];
    for (const [method, url, payload] of routes) {
      const res = await t().app.inject({ method: method as 'GET', url, payload });
      expect([url, res.statusCode]).toEqual([url, 401]);
    }
  });

  it.each(rolesWith('accounts.manage'))('lets %s issue, replace and return cards and reset PINs', async (role) => {
    const admin = await signIn(t(), [role]);
    const { cookie } = admin;
    const holder = await newPerson(t().database.db);
    const issued = await t().app.inject({
      method: 'POST',
      url: '/api/cards',
      headers: { cookie },
      payload: { personId: holder.id, uid: newUid() },
    });
    expect(issued.statusCode).toBe(201);
    const replaced = await t().app.inject({
      method: 'POST',
      url: `/api/cards/${issued.json().id}/replace`,
      headers: { cookie },
      payload: { uid: newUid(), reason: 'worn out' },
    });
    expect(replaced.statusCode).toBe(200);
    const returned = await t().app.inject({
      method: 'POST',
      url: `/api/cards/${replaced.json().card.id}/return`,
      headers: { cookie },
      payload: {},
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'revoked', revokedReason: 'returned' });
    await t().services.cards.setPin(holder.id, '385912', undefined, systemActor);
    const reset = await t().app.inject({
      method: 'POST',
      url: `/api/people/${holder.id}/pin/reset`,
      headers: { cookie },
      payload: { reason: 'forgotten' },
    });
    expect(reset.statusCode).toBe(204);
    const audit = await t()
      .database.db.selectFrom('auditLog')
      .select(['action', 'actorId', 'after'])
      .where('entityId', '=', String(holder.id))
      .where('entity', '=', 'payment_pin')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['payment_pin.set', 'payment_pin.reset']);
    expect(audit[1]).toMatchObject({ actorId: admin.person.id, after: { reason: 'forgotten' } });
    expect((await t().services.cards.pinStatus(holder.id)).set).toBe(false);
  });

  it.each(others(rolesWith('accounts.manage')))('refuses %s issuing cards or resetting PINs (403)', async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const holder = await newPerson(t().database.db);
    const card = await cardOf(holder.id);
    const attempts = [
      { method: 'POST' as const, url: '/api/cards', payload: { personId: holder.id, uid: newUid() } },
      { method: 'POST' as const, url: `/api/cards/${card.id}/replace`, payload: { uid: newUid() } },
      { method: 'POST' as const, url: `/api/cards/${card.id}/return`, payload: {} },
      { method: 'POST' as const, url: `/api/people/${holder.id}/pin/reset`, payload: {} },
    ];
    for (const attempt of attempts) {
      const res = await t().app.inject({ ...attempt, headers: { cookie } });
      expect([attempt.url, res.statusCode]).toEqual([attempt.url, 403]);
    }
  });

  const counter: Role[] = ['cashier', 'finance', 'admin'];
  it.each(counter)("lets %s report a person's card lost at the counter", async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const card = await cardOf((await newPerson(t().database.db)).id);
    const res = await t().app.inject({
      method: 'POST',
      url: `/api/cards/${card.id}/report-lost`,
      headers: { cookie },
      payload: { reason: 'phoned the counter' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('lost');
  });

  it.each(others(counter))("refuses %s reporting another person's card lost (403)", async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const card = await cardOf((await newPerson(t().database.db)).id);
    const res = await t().app.inject({
      method: 'POST',
      url: `/api/cards/${card.id}/report-lost`,
      headers: { cookie },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
  });

  it.each(rolesWith('accounts.read'))("lets %s read a person's cards and the deny-list", async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const holder = await newPerson(t().database.db);
    const card = await cardOf(holder.id);
    const list = await t().app.inject({ url: `/api/cards?personId=${holder.id}`, headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0].uid).toBe(card.uid);
    const pin = await t().app.inject({ url: `/api/people/${holder.id}/pin`, headers: { cookie } });
    expect(pin.json()).toEqual({ set: false, lockedUntil: null, changedAt: null });
    const deny = await t().app.inject({ url: `/api/cards/deny-list?since=${card.version - 1}`, headers: { cookie } });
    expect(deny.statusCode).toBe(200);
    expect(deny.json().changes[0]).toMatchObject({ uid: card.uid, status: 'active' });
  });

  it.each(others(rolesWith('accounts.read')))('refuses %s reading cards or the deny-list (403)', async (role) => {
    const { cookie } = await signIn(t(), [role]);
    for (const url of ['/api/cards?personId=1', '/api/cards/deny-list?since=0', '/api/people/1/pin']) {
      expect((await t().app.inject({ url, headers: { cookie } })).statusCode).toBe(403);
    }
  });
});
