import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, systemActor, type Actor, type AuditTables } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { enqueue, type OutboxTables } from '../../platform/outbox.ts';
import type { RateLimitTables } from '../../platform/rate-limit.ts';
import type { OrgDirectory } from '../org/index.ts';
import type { AccountReturnResult, ClosingService } from '../wallets/index.ts';
import { PaymentPins } from './payment-pins.ts';
import { normaliseCardUid } from './pin.ts';
import * as q from './queries.ts';
import type { CardRevokedReason, CardStatus, CardTables } from './tables.ts';

export interface CardView {
  id: number;
  personId: number;
  uid: string;
  status: CardStatus;
  revokedReason: CardRevokedReason | null;
  replacedById: number | null;
  version: number;
  issuedAt: string;
  lostAt: string | null;
  revokedAt: string | null;
}

export interface DenyListChange {
  uid: string;
  /** active: take the UID off the deny-list · lost / revoked: refuse it. */
  status: CardStatus;
  version: number;
  changedAt: string;
}

export interface DenyList {
  /** Ask for `since=version` next time; when `hasMore`, ask again at once. */
  version: number;
  hasMore: boolean;
  changes: DenyListChange[];
}

/** Who holds the card presented at a till. */
export interface CardHolder {
  cardId: number;
  uid: string;
  personId: number;
  name: string;
  employeeNo: string;
}

export interface PinStatus {
  set: boolean;
  lockedUntil: string | null;
  changedAt: string | null;
}

/**
 * Whose cards an operation may touch: `ownerId` for a person acting on their own cards (/m),
 * `hospitalId` for staff of one hospital. Outside the scope a card or person is "not found".
 */
export interface CardScope {
  ownerId?: number | undefined;
  hospitalId?: number | undefined;
}

export interface CardsOptions {
  /** Wrong PINs in a row before the PIN locks. */
  pinMaxFailures?: number;
  pinLockMinutes?: number;
  /** The wallets settle the money of a 退卡 (account return); without them, returnAccount is refused. */
  closing?: Pick<ClosingService, 'settleAccountReturn'> | undefined;
  /** Who people are (the org module's directory): scope checks and the holder of a card. */
  directory: Pick<OrgDirectory, 'person'>;
}

export interface AccountReturnRequest {
  /** The counter whose cash pays the own funds out. */
  counter: string;
  reason?: string | undefined;
  /** One return per key: a retry (same key and request) gets the first receipt again. */
  idempotencyKey: string;
}

/** What the counter prints for a 退卡: cards revoked, own funds paid out in cash, subsidy returned. */
export interface AccountReturnReceipt extends Omit<AccountReturnResult, 'closedAt'> {
  receiptNo: string;
  revokedCardIds: number[];
  reason: string | null;
  cashierId: number | null;
  createdAt: string;
}

/** The outbox topic of card and PIN notices; the WeCom sender delivers them as messages. */
export const CARD_NOTICE = 'card.notice';

/** Something the cards module tells the person (new card, loss report, PIN locked…). */
export interface CardNotice {
  personId: number;
  kind:
    | 'card.issued'
    | 'card.lost'
    | 'card.found'
    | 'card.replaced'
    | 'card.returned'
    | 'account.returned'
    | 'pin.locked'
    | 'pin.reset';
  payload: Record<string, unknown>;
}

type CardRow = NonNullable<Awaited<ReturnType<typeof q.findCard>>>;

export const toCardView = (row: CardRow): CardView => ({
  id: row.id,
  personId: row.personId,
  uid: row.uid,
  status: row.status,
  revokedReason: row.revokedReason,
  replacedById: row.replacedById,
  version: row.version,
  issuedAt: row.issuedAt.toISOString(),
  lostAt: row.lostAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const DENY_LIST_PAGE = 5000;
const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;

/**
 * Cards (建卡管理) and the payment PIN. A card is a credential bound to a person: issue, report lost
 * (挂失), cancel the loss report, replace (补卡), return (退卡); terminals sync a deny-list by version.
 */
export class CardsService implements PersonLifecycleListener {
  private readonly pins: PaymentPins;
  private readonly closing: CardsOptions['closing'];
  private readonly directory: CardsOptions['directory'];
  constructor(
    private readonly db: Kysely<CardTables & AuditTables & OutboxTables & IdempotencyTables & RateLimitTables>,
    private readonly clock: Clock,
    options: CardsOptions,
  ) {
    this.pins = new PaymentPins(db, clock, {
      maxFailures: options.pinMaxFailures ?? 5,
      lockMinutes: options.pinLockMinutes ?? 30,
      notify: (trx, notice) => this.notify(trx, notice),
    });
    this.closing = options.closing;
    this.directory = options.directory;
  }

  async peopleActivated(): Promise<void> {
    // A person who joins (or comes back) gets a card at the desk; nothing happens by itself.
  }

  /**
   * A person who leaves loses every live card at once, in the transaction that records the leaving:
   * the deny-list carries the change, so an offline till refuses the card too (退卡 on leaving).
   */
  async peopleLeft(trx: Tx, people: PersonRef[], actor: Actor): Promise<void> {
    for (const person of people) {
      // Card rows first, then the change counter: the order every other card change takes its locks in.
      for (const card of await q.listCardsOfPerson(trx, person.id, { forUpdate: true })) {
        if (card.status === 'revoked') continue;
        const revoked = await q.markCardRevoked(trx, card.id, {
          version: await q.nextCardVersion(trx),
          at: this.clock.now(),
          reason: 'returned',
        });
        await recordAudit(trx, actor, {
          action: 'card.return',
          entity: 'card',
          entityId: card.id,
          before: toCardView(card),
          after: { ...toCardView(revoked), reason: 'person left' },
        });
        await this.notify(trx, {
          personId: person.id,
          kind: 'card.returned',
          payload: { cardId: card.id, uid: card.uid },
        });
      }
    }
  }

  async listCards(personId: number, scope: CardScope = {}): Promise<CardView[]> {
    await this.personInScope(null, personId, scope);
    return (await q.listCardsOfPerson(this.db, personId)).map(toCardView);
  }

  async issueCard(personId: number, uidInput: string, actor: Actor, scope: CardScope = {}): Promise<CardView> {
    const uid = this.uidOrThrow(uidInput);
    return this.inTransaction(async (trx) => {
      const person = await this.personInScope(trx, personId, scope);
      if (person.status !== 'active') {
        throw conflict('PERSON_INACTIVE', 'This person has left; a card cannot be issued', { personId });
      }
      const card = await this.insertCardOrConflict(trx, personId, uid, actor);
      await recordAudit(trx, actor, { action: 'card.issue', entity: 'card', entityId: card.id, after: card });
      await this.notify(trx, { personId, kind: 'card.issued', payload: { cardId: card.id, uid } });
      return card;
    });
  }

  /**
   * 挂失: effective at once for every terminal (resolveCard refuses it; the deny-list carries it).
   * `ownerId` set means the person reports their own card and must hold it. Reporting twice is harmless.
   */
  async reportCardLost(cardId: number, actor: Actor, options: CardScope & { reason?: string | undefined } = {}) {
    return this.inTransaction(async (trx) => {
      const card = await this.cardForChange(trx, cardId, options);
      if (card.status === 'revoked') throw conflict('CARD_REVOKED', 'This card was replaced or returned');
      if (card.status === 'lost') return toCardView(card);
      const now = this.clock.now();
      const lost = toCardView(await q.markCardLost(trx, card.id, await q.nextCardVersion(trx), now));
      await recordAudit(trx, actor, {
        action: 'card.report_lost',
        entity: 'card',
        entityId: card.id,
        before: toCardView(card),
        after: { ...lost, reason: options.reason ?? null },
      });
      await this.notify(trx, { personId: card.personId, kind: 'card.lost', payload: { cardId, uid: card.uid } });
      return lost;
    });
  }

  /** The person found the card: their payment PIN proves it is them. */
  async cancelCardLoss(cardId: number, ownerId: number, pin: string, actor: Actor): Promise<CardView> {
    const card = await q.findCard(this.db, cardId);
    if (!card || card.personId !== ownerId) throw notFound('card', cardId);
    if (card.status !== 'lost') throw conflict('CARD_NOT_LOST', 'This card is not reported lost');
    await this.verifyPin(ownerId, pin, actor);
    return this.inTransaction(async (trx) => {
      const locked = await this.cardForChange(trx, cardId, { ownerId });
      if (locked.status !== 'lost') throw conflict('CARD_NOT_LOST', 'This card is not reported lost');
      const found = toCardView(await q.markCardFound(trx, cardId, await q.nextCardVersion(trx), this.clock.now()));
      await recordAudit(trx, actor, {
        action: 'card.cancel_loss',
        entity: 'card',
        entityId: cardId,
        before: toCardView(locked),
        after: found,
      });
      await this.notify(trx, { personId: ownerId, kind: 'card.found', payload: { cardId, uid: found.uid } });
      return found;
    });
  }

  /** 补卡: a new card for the same person; the old one is revoked for good, in one transaction. */
  async replaceCard(
    cardId: number,
    newUidInput: string,
    actor: Actor,
    options: CardScope & { reason?: string | undefined } = {},
  ): Promise<{ old: CardView; card: CardView }> {
    const { reason } = options;
    const uid = this.uidOrThrow(newUidInput);
    return this.inTransaction(async (trx) => {
      const old = await this.cardForChange(trx, cardId, options);
      if (old.status === 'revoked') throw conflict('CARD_REVOKED', 'This card was already replaced or returned');
      const person = await this.directory.person(old.personId, trx);
      if (person?.status !== 'active') {
        throw conflict('PERSON_INACTIVE', 'This person has left; return the card instead', { personId: old.personId });
      }
      const now = this.clock.now();
      // Revoke first: the terminals see "old refused" before "new accepted" when they apply changes in order.
      const revokedVersion = await q.nextCardVersion(trx);
      const card = await this.insertCardOrConflict(trx, old.personId, uid, actor);
      const revoked = toCardView(
        await q.markCardRevoked(trx, old.id, {
          version: revokedVersion,
          at: now,
          reason: 'replaced',
          replacedById: card.id,
        }),
      );
      await recordAudit(trx, actor, {
        action: 'card.replace',
        entity: 'card',
        entityId: old.id,
        before: toCardView(old),
        after: { ...revoked, newCard: card, reason: reason ?? null },
      });
      await this.notify(trx, {
        personId: old.personId,
        kind: 'card.replaced',
        payload: { oldCardId: old.id, cardId: card.id, uid: card.uid },
      });
      return { old: revoked, card };
    });
  }

  /**
   * 退卡 of one card: revoked for good; the wallet stays as it is (the person may hold other cards).
   * A person who leaves returns the whole account with `returnAccount`.
   */
  async returnCard(
    cardId: number,
    actor: Actor,
    options: CardScope & { reason?: string | undefined } = {},
  ): Promise<CardView> {
    const { reason } = options;
    return this.inTransaction(async (trx) => {
      const card = await this.cardForChange(trx, cardId, options);
      if (card.status === 'revoked') throw conflict('CARD_REVOKED', 'This card was already replaced or returned');
      const revoked = toCardView(
        await q.markCardRevoked(trx, card.id, {
          version: await q.nextCardVersion(trx),
          at: this.clock.now(),
          reason: 'returned',
        }),
      );
      await recordAudit(trx, actor, {
        action: 'card.return',
        entity: 'card',
        entityId: card.id,
        before: toCardView(card),
        after: { ...revoked, reason: reason ?? null },
      });
      await this.notify(trx, { personId: card.personId, kind: 'card.returned', payload: { cardId, uid: card.uid } });
      return revoked;
    });
  }

  /**
   * 退卡 on leaving, at the counter, in ONE transaction: the ledger pays the own funds out in cash at
   * `counter`, returns unspent subsidy to the hospital and closes the wallet; every live card of the
   * person is revoked (the deny-list carries it); audited, and the person is told through the outbox.
   * Refused while a withdrawal is pending (WITHDRAWAL_PENDING). The same Idempotency-Key and request
   * returns the first receipt (`replayed: true`), so a retried click never pays out twice.
   */
  async returnAccount(
    personId: number,
    request: AccountReturnRequest,
    actor: Actor,
    scope: CardScope = {},
  ): Promise<AccountReturnReceipt & { replayed: boolean }> {
    const closing = this.closing;
    if (!closing) throw new AppError('LEDGER_UNAVAILABLE', 503, 'The wallets are not wired to the cards module');
    const { idempotencyKey, ...asked } = request;
    const { result, replayed } = await withIdempotency(
      this.db,
      {
        scope: `account-return:${actor.personId ?? 'system'}`,
        key: idempotencyKey,
        request: { personId, ...asked },
        now: this.clock.now(),
      },
      async (trx): Promise<AccountReturnReceipt> => {
        await this.personInScope(trx, personId, scope);
        // The ledger first (purse locks), then the cards: the order the org module's leaving takes them in.
        const { closedAt, ...money } = await closing.settleAccountReturn(
          trx,
          { personId, counter: request.counter, reference: `${actor.personId ?? 'system'}:${idempotencyKey}` },
          actor,
        );
        const revokedCardIds: number[] = [];
        for (const card of await q.listCardsOfPerson(trx, personId, { forUpdate: true })) {
          if (card.status === 'revoked') continue;
          const revoked = await q.markCardRevoked(trx, card.id, {
            version: await q.nextCardVersion(trx),
            at: this.clock.now(),
            reason: 'returned',
          });
          revokedCardIds.push(card.id);
          await recordAudit(trx, actor, {
            action: 'card.return',
            entity: 'card',
            entityId: card.id,
            before: toCardView(card),
            after: { ...toCardView(revoked), reason: request.reason ?? 'account returned' },
          });
        }
        const receipt: AccountReturnReceipt = {
          receiptNo: `TK${String(money.payoutEntryId ?? money.subsidyEntryId ?? 0).padStart(8, '0')}-${personId}`,
          ...money,
          revokedCardIds,
          reason: request.reason ?? null,
          cashierId: actor.personId,
          createdAt: closedAt,
        };
        await recordAudit(trx, actor, {
          action: 'account.return',
          entity: 'person',
          entityId: personId,
          after: receipt,
        });
        await this.notify(trx, {
          personId,
          kind: 'account.returned',
          payload: {
            receiptNo: receipt.receiptNo,
            ownPaidOutFen: receipt.ownPaidOutFen,
            subsidyReturnedFen: receipt.subsidyReturnedFen,
            counter: receipt.counter,
            revokedCardIds,
          },
        });
        return receipt;
      },
    );
    return { ...result, replayed };
  }

  /**
   * Every card change after version `since`, oldest first. A terminal applies them in order:
   * lost or revoked puts the UID on its deny-list, active takes it off (loss cancelled, UID reissued).
   */
  async denyList(since: number, limit = DENY_LIST_PAGE): Promise<DenyList> {
    // The counter first: a committed counter value V means every change numbered up to V has
    // committed (each took the counter's row lock after the one before had committed), so reading
    // changes up to V afterwards sees all of them; a change committing meanwhile is > V, next time.
    const upTo = await q.currentCardVersion(this.db);
    const rows = await q.cardChangesSince(this.db, since, upTo, limit + 1);
    const hasMore = rows.length > limit;
    const changes = rows.slice(0, limit).map((r) => ({
      uid: r.uid,
      status: r.status,
      version: r.version,
      changedAt: r.updatedAt.toISOString(),
    }));
    const version = hasMore ? (changes.at(-1)?.version ?? since) : Math.max(since, upTo);
    return { version, hasMore, changes };
  }

  /** The holder of a card presented for payment, or CARD_LOST / CARD_REVOKED / CARD_UNKNOWN. */
  async resolveCard(uidInput: string): Promise<CardHolder> {
    const uid = normaliseCardUid(uidInput);
    const card = uid ? await q.findCardForPayment(this.db, uid) : undefined;
    if (!card) throw new AppError('CARD_UNKNOWN', 404, 'This card is not registered');
    if (card.status === 'lost')
      throw new AppError('CARD_LOST', 403, 'This card is reported lost', { cardId: card.cardId });
    if (card.status === 'revoked') {
      throw new AppError('CARD_REVOKED', 403, 'This card was replaced or returned', { cardId: card.cardId });
    }
    const holder = await this.directory.person(card.personId);
    if (holder?.status !== 'active') throw new AppError('PERSON_INACTIVE', 403, 'The card holder has left');
    return {
      cardId: card.cardId,
      uid: card.uid,
      personId: card.personId,
      name: holder.name,
      employeeNo: holder.employeeNo,
    };
  }

  async pinStatus(personId: number, scope: CardScope = {}): Promise<PinStatus> {
    if (scope.hospitalId !== undefined) await this.personInScope(null, personId, scope);
    return this.pins.status(personId);
  }

  /** Sets the PIN the first time, or changes it: a change needs the current PIN. */
  setPin(personId: number, pin: string, oldPin: string | undefined, actor: Actor): Promise<void> {
    return this.pins.set(personId, pin, oldPin, actor);
  }

  /**
   * Checks a person's payment PIN; see PaymentPins.verify. Holds no lock and no connection while the
   * hash is checked, so call it before opening the money transaction.
   */
  verifyPin(personId: number, pin: string, actor: Actor = systemActor): Promise<void> {
    return this.pins.verify(personId, pin, actor);
  }

  /** An administrator clears a forgotten or locked PIN; the person then sets a new one. Audited. */
  async resetPin(
    personId: number,
    actor: Actor,
    options: CardScope & { reason?: string | undefined } = {},
  ): Promise<void> {
    await this.personInScope(null, personId, options);
    await this.pins.reset(personId, actor, options.reason);
  }

  /** Written in the transaction of the change, through the outbox, so no notice is lost or sent for a rollback. */
  private async notify(trx: Tx, notice: CardNotice): Promise<void> {
    const payload = { kind: notice.kind, ...notice.payload };
    await enqueue(trx, [{ topic: CARD_NOTICE, personId: notice.personId, payload }], this.clock.now());
  }

  private inTransaction<T>(work: (trx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  private uidOrThrow(input: string): string {
    const uid = normaliseCardUid(input);
    if (!uid) {
      throw invalid('CARD_UID_INVALID', 'A card UID is 8 to 20 hexadecimal digits (whole bytes)', [
        { path: '/body/uid', message: 'expected hexadecimal digits such as 04A21B7C' },
      ]);
    }
    return uid;
  }

  private async personInScope(trx: Tx | null, personId: number, scope: CardScope) {
    const person = await this.directory.person(personId, trx ?? undefined);
    if (!person || (scope.hospitalId !== undefined && person.hospitalId !== scope.hospitalId)) {
      throw notFound('person', personId);
    }
    return person;
  }

  private async cardForChange(trx: Tx, cardId: number, scope: CardScope): Promise<CardRow> {
    const card = await q.findCard(trx, cardId, { forUpdate: true });
    // Someone else's card is "not found" to the person, so card ids cannot be probed.
    if (!card || (scope.ownerId !== undefined && card.personId !== scope.ownerId)) throw notFound('card', cardId);
    if (
      scope.hospitalId !== undefined &&
      (await this.directory.person(card.personId, trx))?.hospitalId !== scope.hospitalId
    ) {
      throw notFound('card', cardId);
    }
    return card;
  }

  private async insertCardOrConflict(trx: Tx, personId: number, uid: string, actor: Actor): Promise<CardView> {
    const inUse = await q.findLiveCardByUid(trx, uid);
    if (inUse) throw conflict('CARD_UID_IN_USE', 'Another live card has this UID', { uid });
    try {
      const row = await q.insertCard(trx, {
        personId,
        uid,
        version: await q.nextCardVersion(trx),
        issuedAt: this.clock.now(),
        issuedBy: actor.personId,
      });
      return toCardView(row);
    } catch (error) {
      // Two desks issuing the same UID at once: the partial unique index decides.
      if (isUniqueViolation(error)) throw conflict('CARD_UID_IN_USE', 'Another live card has this UID', { uid });
      throw error;
    }
  }
}
