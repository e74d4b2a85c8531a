// HTTP routes of online top-up: my orders, the channel callbacks, and the test channel's simulated payer.
import { personOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import {
  NotifyReplySchema,
  OrderParams,
  TokenParams,
  TopUpOrderBody,
  TopUpOrderCreatedSchema,
  TopUpOrderSchema,
} from './schema.ts';
import type { PaymentsService } from './service.ts';

export function paymentRoutes(app: App, payments: PaymentsService): void {
  app.post(
    '/api/me/top-ups',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'createTopUpOrder',
        problems: [404, 409, 422],
        tags: ['payments'],
        summary: 'Online top-up of my wallet: a payment order and what the phone needs to pay. Send an Idempotency-Key',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: TopUpOrderBody,
        response: { 200: TopUpOrderCreatedSchema },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request);
      return payments.createOrder(personOf(request), request.body, key);
    },
  );

  app.get(
    '/api/me/top-ups/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getTopUpOrder',
        problems: [404],
        tags: ['payments'],
        summary: 'One of my top-up orders (poll it until paid)',
        params: OrderParams,
        response: { 200: TopUpOrderSchema },
      },
    },
    async (request) => payments.getOrder(personOf(request).personId, request.params.id),
  );

  // The channel's callback verifies a signature over the exact bytes sent, so this route keeps the body raw.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/payments/test/notify',
      {
        config: { access: 'public' },
        schema: {
          operationId: 'receiveTestPaymentNotification',
          problems: [400, 401, 404, 409],
          tags: ['payments'],
          summary: 'The test channel’s payment notification (signed; only with CANTEEN_TEST_PAYMENTS)',
          response: { 200: NotifyReplySchema },
        },
      },
      async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const { alreadyPaid } = await payments.handleNotification('test', request.headers, raw);
        return { code: 'SUCCESS' as const, alreadyPaid };
      },
    );
  });

  app.post(
    '/api/payments/test/pay/:token',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'payTestTopUpOrder',
        problems: [404, 409],
        tags: ['payments'],
        summary: 'TEST CHANNEL: the simulated payer pays my order (only with CANTEEN_TEST_PAYMENTS)',
        params: TokenParams,
        response: { 200: TopUpOrderSchema },
      },
    },
    async (request) => payments.payWithTestChannel(personOf(request).personId, request.params.token),
  );
}
