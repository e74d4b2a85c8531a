// Online top-up channels. A channel turns a payment order into what the phone needs to pay, and turns
// the channel's callback into a verified notification. The test channel is the only one for now;
// WeChat Pay (JSAPI) implements the same interface: createPayment → JSAPI params (prepay_id, paySign),
// parseNotification → verify the WeChatPay-Signature header with the platform certificate and decrypt.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import type { PaymentChannelCode } from './tables.ts';

export interface PaymentOrderForChannel {
  id: number;
  outTradeNo: string;
  amountFen: number;
}

/** What the phone needs to pay. The test channel: a URL the simulated payer posts to. */
export interface PaymentParams {
  kind: PaymentChannelCode;
  token: string;
  payUrl: string;
}

export interface PaymentNotification {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  paid: boolean;
}

/** A way of paying online (the test channel; WeChat Pay next): one per code, chosen by configuration. */
export interface PaymentChannel {
  code: PaymentChannelCode;
  createPayment(order: PaymentOrderForChannel): PaymentParams;
  /** Verifies and reads the channel's callback; throws 401 BAD_SIGNATURE when it is not the channel's. */
  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotification;
}

/**
 * TEST ONLY: the secret the test channel signs its notifications with. It is public (it is in the
 * source), which is fine because the test channel only runs when CANTEEN_TEST_PAYMENTS=true, never
 * in production. A real channel's keys come from its configuration.
 */
export const TEST_CHANNEL_SECRET = 'smart-canteen-test-channel-not-a-secret';
export const TEST_SIGNATURE_HEADER = 'x-test-signature';

export function signTestNotification(rawBody: string, secret = TEST_CHANNEL_SECRET): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

const badSignature = () => new AppError('BAD_SIGNATURE', 401, 'The notification is not signed by the channel');

export class TestChannel implements PaymentChannel {
  readonly code = 'test' as const;
  constructor(private readonly secret = TEST_CHANNEL_SECRET) {}

  createPayment(order: PaymentOrderForChannel): PaymentParams {
    return { kind: 'test', token: order.outTradeNo, payUrl: `/api/payments/test/pay/${order.outTradeNo}` };
  }

  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotification {
    const given = headers[TEST_SIGNATURE_HEADER];
    if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) throw badSignature();
    const expected = Buffer.from(signTestNotification(rawBody, this.secret), 'hex');
    if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) throw badSignature();
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new AppError('BAD_NOTIFICATION', 400, 'The notification is not JSON');
    }
    const b = body as Record<string, unknown>;
    if (
      typeof b['outTradeNo'] !== 'string' ||
      typeof b['transactionId'] !== 'string' ||
      !Number.isSafeInteger(b['amountFen']) ||
      typeof b['paid'] !== 'boolean'
    ) {
      throw new AppError(
        'BAD_NOTIFICATION',
        400,
        'The notification lacks outTradeNo, transactionId, amountFen or paid',
      );
    }
    return {
      outTradeNo: b['outTradeNo'],
      transactionId: b['transactionId'],
      amountFen: b['amountFen'] as number,
      paid: b['paid'],
    };
  }
}

/**
 * The channels this installation offers, from its configuration: the test channel only with
 * CANTEEN_TEST_PAYMENTS=true (never in production). WeChat Pay joins here, built from its own settings.
 */
export function paymentChannels(config: Pick<Config, 'testPayments'>): PaymentChannel[] {
  const channels: PaymentChannel[] = [];
  if (config.testPayments) channels.push(new TestChannel());
  return channels;
}
