// Online top-up: a payment order per attempt, a channel that takes the payment, and the channel's
// notification, which marks the order paid and has the ledger credit the wallet in ONE transaction.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { withIdempotency } from '../../platform/idempotency.ts';
import type { FundingService, WalletsService } from '../wallets/index.ts';
import { TEST_SIGNATURE_HEADER, signTestNotification, type PaymentChannel } from './channels.ts';
import * as q from './queries.ts';
import { TOP_UP_MAX_FEN, TOP_UP_MIN_FEN, type TopUpOrder, type TopUpOrderCreated } from './schema.ts';
import type { PaymentChannelCode, PaymentTables } from './tables.ts';
import type { IdempotencyTables } from '../../platform/idempotency.ts';

export interface PaymentsOptions {
  /** The channels this installation offers, by code (the test channel only when CANTEEN_TEST_PAYMENTS). */
  channels: PaymentChannel[];
}

const SYSTEM: Actor = { personId: null, requestId: 'payment-notification', ip: '' };

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function view(row: q.OrderRow): TopUpOrder {
  return {
    id: row.id,
    channel: row.channel,
    amountFen: Number(row.amountFen),
    status: row.status,
    outTradeNo: row.outTradeNo,
    createdAt: iso(row.createdAt)!,
    paidAt: iso(row.paidAt),
    entryId: row.entryId,
  };
}

export class PaymentsService {
  private readonly channels: Map<PaymentChannelCode, PaymentChannel>;

  constructor(
    private readonly db: Kysely<PaymentTables & IdempotencyTables>,
    private readonly clock: Clock,
    private readonly wallets: { wallets: WalletsService; funding: FundingService },
    options: PaymentsOptions,
  ) {
    this.channels = new Map(options.channels.map((c) => [c.code, c]));
  }

  /** The channel, or 404 PAYMENT_CHANNEL_UNAVAILABLE when this installation does not offer it. */
  channel(code: string): PaymentChannel {
    const channel = this.channels.get(code as PaymentChannelCode);
    if (!channel) {
      throw new AppError('PAYMENT_CHANNEL_UNAVAILABLE', 404, `The payment channel ${code} is not available here`, {
        channel: code,
      });
    }
    return channel;
  }

  /** A payment order for my own wallet; the same Idempotency-Key returns the same order. */
  async createOrder(
    me: { personId: number; hospitalId: number },
    input: { amountFen: number; channel: PaymentChannelCode },
    key: string,
  ): Promise<TopUpOrderCreated> {
    const channel = this.channel(input.channel);
    if (input.amountFen < TOP_UP_MIN_FEN || input.amountFen > TOP_UP_MAX_FEN) {
      throw invalid('TOP_UP_AMOUNT_OUT_OF_RANGE', 'A top-up is from ¥1.00 to ¥5,000.00', [
        { path: '/amountFen', message: `must be from ${TOP_UP_MIN_FEN} to ${TOP_UP_MAX_FEN} fen` },
      ]);
    }
    const wallet = await this.wallets.wallets.balances(me.personId);
    if (wallet.status !== 'open') {
      throw conflict('WALLET_NOT_OPEN', 'Top-ups need an open wallet', { status: wallet.status });
    }
    const { result, replayed } = await withIdempotency(
      this.db,
      { scope: `top-up:${me.personId}`, key, request: input, now: this.clock.now() },
      async (trx) => {
        const row = await q.insertOrder(trx, {
          hospitalId: me.hospitalId,
          personId: me.personId,
          channel: channel.code,
          amountFen: input.amountFen,
          outTradeNo: `TU${this.clock.now().getTime().toString(36)}${randomBytes(8).toString('hex')}`.toUpperCase(),
          createdAt: this.clock.now(),
        });
        const order = view(row);
        return { order, payment: channel.createPayment(order) };
      },
    );
    return { ...result, replayed };
  }

  /** One of my orders (its status); 404 when it is not mine. */
  async getOrder(personId: number, id: number): Promise<TopUpOrder> {
    const row = await q.findOrder(this.db, id);
    if (!row || row.personId !== personId) throw new AppError('NOT_FOUND', 404, 'No such top-up order', { id });
    return view(row);
  }

  /**
   * The channel's callback. The signature is checked before anything is read from the database; then,
   * in one transaction, the order is locked, marked paid and the wallet credited (reference =
   * out_trade_no). A replayed notification of a paid order credits nothing.
   */
  async handleNotification(
    code: string,
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): Promise<{ order: TopUpOrder; alreadyPaid: boolean }> {
    const channel = this.channel(code);
    const note = channel.parseNotification(headers, rawBody);
    return this.db.transaction().execute(async (trx) => {
      const row = await q.lockOrderByTradeNo(trx, note.outTradeNo);
      if (!row || row.channel !== channel.code) {
        throw new AppError('NOT_FOUND', 404, 'No such payment order', { outTradeNo: note.outTradeNo });
      }
      if (Number(row.amountFen) !== note.amountFen) {
        throw conflict('AMOUNT_MISMATCH', 'The paid amount differs from the order', {
          orderFen: Number(row.amountFen),
          paidFen: note.amountFen,
        });
      }
      if (row.status === 'paid') return { order: view(row), alreadyPaid: true };
      if (!note.paid) return { order: view(row), alreadyPaid: false };
      if (row.status !== 'created') {
        throw conflict('ORDER_NOT_PAYABLE', `The order is ${row.status}`, { status: row.status });
      }
      const paidAt = this.clock.now();
      const topUp = await this.wallets.funding.topUp(
        trx,
        {
          personId: row.personId,
          amountFen: note.amountFen,
          source: channel.code,
          reference: row.outTradeNo,
          memo: `online top-up ${row.outTradeNo}`,
        },
        SYSTEM,
      );
      await q.markPaid(trx, row.id, { channelTransactionId: note.transactionId, paidAt, entryId: topUp.entryId });
      return {
        order: view({
          ...row,
          status: 'paid',
          channelTransactionId: note.transactionId,
          paidAt,
          entryId: topUp.entryId,
        }),
        alreadyPaid: false,
      };
    });
  }

  /**
   * TEST CHANNEL ONLY: the simulated payer. It pays my created order by building the notification the
   * channel would send, signing it, and handing it to the same code path as the callback route.
   */
  async payWithTestChannel(personId: number, token: string): Promise<TopUpOrder> {
    this.channel('test');
    const row = await q.findOrderByTradeNo(this.db, token);
    if (!row || row.personId !== personId || row.channel !== 'test') {
      throw new AppError('NOT_FOUND', 404, 'No such top-up order', { token });
    }
    const rawBody = JSON.stringify({
      outTradeNo: row.outTradeNo,
      transactionId: `TEST${row.id}`,
      amountFen: Number(row.amountFen),
      paid: true,
    });
    const { order } = await this.handleNotification(
      'test',
      { [TEST_SIGNATURE_HEADER]: signTestNotification(rawBody) },
      rawBody,
    );
    return order;
  }
}
