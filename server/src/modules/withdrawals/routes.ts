// HTTP routes of withdrawals (提款): a person asks, finance decides.
import { actorOf, personOf, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import { IdParams } from '../../platform/schema.ts';
import { DecisionBody, WithdrawalBody, WithdrawalPageSchema, WithdrawalQuery, WithdrawalSchema } from './schema.ts';
import type { WithdrawalsService } from './service.ts';

export function withdrawalRoutes(app: App, withdrawals: WithdrawalsService): void {
  app.post(
    '/api/me/withdrawals',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'requestWithdrawal',
        problems: [404, 409, 422],
        tags: ['withdrawals'],
        summary: '提款: ask for own funds back; the amount is held until finance decides. Send an Idempotency-Key',
        body: WithdrawalBody,
        response: { 200: WithdrawalSchema },
      },
    },
    async (request) =>
      withdrawals.request(
        { personId: personOf(request).personId, ...request.body, idempotencyKey: idempotencyKeyOf(request) },
        actorOf(request),
      ),
  );

  app.get(
    '/api/me/withdrawals',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'listMyWithdrawals',
        problems: [422],
        tags: ['withdrawals'],
        summary: 'My withdrawals, newest first',
        querystring: WithdrawalQuery,
        response: { 200: WithdrawalPageSchema },
      },
    },
    async (request) =>
      withdrawals.list(
        { personId: personOf(request).personId, status: request.query.status },
        request.query.cursor ?? null,
        request.query.limit,
      ),
  );

  app.get(
    '/api/ledger/withdrawals',
    {
      config: { access: 'withdrawal.approve' },
      schema: {
        operationId: 'listWithdrawals',
        problems: [422],
        tags: ['withdrawals'],
        summary: 'Withdrawals for finance to decide (filter status=pending), newest first',
        querystring: WithdrawalQuery,
        response: { 200: WithdrawalPageSchema },
      },
    },
    async (request) =>
      withdrawals.list(
        { hospitalId: principalOf(request).hospitalId, status: request.query.status },
        request.query.cursor ?? null,
        request.query.limit,
      ),
  );

  for (const [action, approve] of [
    ['pay', true],
    ['reject', false],
  ] as const) {
    app.post(
      `/api/ledger/withdrawals/:id/${action}`,
      {
        config: { access: 'withdrawal.approve' },
        schema: {
          operationId: approve ? 'payWithdrawal' : 'rejectWithdrawal',
          problems: [404, 409],
          tags: ['withdrawals'],
          summary: approve
            ? 'Record that the withdrawal was paid out (the hold becomes a payable)'
            : 'Reject the withdrawal (the hold returns to own funds)',
          params: IdParams,
          body: DecisionBody,
          response: { 200: WithdrawalSchema },
        },
      },
      async (request) =>
        withdrawals.decide(
          {
            withdrawalId: request.params.id,
            hospitalId: principalOf(request).hospitalId,
            approve,
            note: request.body.note,
          },
          actorOf(request),
        ),
    );
  }
}
