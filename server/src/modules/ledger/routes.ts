// HTTP routes of the ledger: parse, authorise (config.access), call LedgerService, reply.
import { actorOf, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf, withIdempotency } from '../../platform/idempotency.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import {
  CashTopUpBody,
  CashTopUpReceiptSchema,
  EntriesQuery,
  IdParams,
  LedgerSettingsBody,
  LedgerSettingsSchema,
  JournalPageSchema,
  NotificationListSchema,
  NotificationsQuery,
  StatementPageSchema,
  StatementQuery,
  StreamQuery,
  TransferBody,
  TransferReceiptSchema,
  DecisionBody,
  ReversalBody,
  ReversalSchema,
  WithdrawalBody,
  WithdrawalPageSchema,
  WithdrawalQuery,
  WithdrawalSchema,
  WalletSchema,
} from './schema.ts';
import type { LedgerService } from './service.ts';

export interface LedgerRouteOptions {
  db: Kysely<DB>;
  clock: Clock;
  /** Checks the payer's payment PIN (the cards module owns PINs); throws when it is wrong or locked. */
  verifyPin: (personId: number, pin: string, actor: Actor) => Promise<void>;
  /** How often the live notification stream looks for new rows (every instance polls the database). */
  streamPollMs?: number;
}

export function ledgerRoutes(app: App, ledger: LedgerService, options: LedgerRouteOptions): void {
  // Live notification streams end when the server closes, so a shutdown never waits on them.
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
  });
  const wallet = async (personId: number) => ({ personId, ...(await ledger.balances(personId)) });

  app.get(
    '/api/me/wallet',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['ledger'], summary: 'My balances per purse', response: { 200: WalletSchema } },
    },
    async (request) => wallet(principalOf(request).personId),
  );

  app.get(
    '/api/me/statement',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: 'My statement, newest first (pass nextCursor back as cursor for older items)',
        querystring: StatementQuery,
        response: { 200: StatementPageSchema },
      },
    },
    async (request) => {
      const { cursor, kind, ...filters } = request.query;
      return ledger.statement(principalOf(request).personId, { ...filters, kinds: kind }, cursor ?? null);
    },
  );

  app.get(
    '/api/people/:id/wallet',
    {
      config: { access: 'accounts.read' },
      schema: { tags: ['ledger'], summary: "A person's balances", params: IdParams, response: { 200: WalletSchema } },
    },
    async (request) => {
      await ledger.assertWalletInHospital(request.params.id, principalOf(request).hospitalId);
      return wallet(request.params.id);
    },
  );

  app.get(
    '/api/people/:id/statement',
    {
      config: { access: 'accounts.read' },
      schema: {
        tags: ['ledger'],
        summary: "A person's statement, newest first",
        params: IdParams,
        querystring: StatementQuery,
        response: { 200: StatementPageSchema },
      },
    },
    async (request) => {
      await ledger.assertWalletInHospital(request.params.id, principalOf(request).hospitalId);
      const { cursor, kind, ...filters } = request.query;
      return ledger.statement(request.params.id, { ...filters, kinds: kind }, cursor ?? null);
    },
  );

  app.post(
    '/api/ledger/cash-top-ups',
    {
      config: { access: 'topup.cash' },
      schema: {
        tags: ['ledger'],
        summary: 'Cash top-up at a counter (receipt). Send an Idempotency-Key header; a retry returns the same receipt',
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string' } },
        },
        body: CashTopUpBody,
        response: { 200: CashTopUpReceiptSchema },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request);
      const principal = principalOf(request);
      await ledger.assertWalletInHospital(request.body.personId, principal.hospitalId);
      const actor = actorOf(request);
      const { result, replayed } = await withIdempotency(
        options.db,
        { scope: `cash-top-up:${principal.personId}`, key, request: request.body, now: options.clock.now() },
        async (trx) => {
          const topUp = await ledger.topUp(
            trx,
            {
              personId: request.body.personId,
              amountFen: request.body.amountFen,
              channel: 'cash',
              counter: request.body.counter,
              reference: `${principal.personId}:${key}`,
              memo: request.body.memo,
            },
            actor,
          );
          return {
            receiptNo: `CT${String(topUp.entryId).padStart(8, '0')}`,
            entryId: topUp.entryId,
            personId: topUp.personId,
            amountFen: topUp.amountFen,
            counter: request.body.counter,
            cashierId: principal.personId,
            balance: topUp.balance,
            createdAt: topUp.createdAt,
          };
        },
      );
      return { ...result, replayed };
    },
  );

  app.post(
    '/api/me/transfers',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: '同事间转账: send own funds to a colleague (PIN, daily limit). Send an Idempotency-Key header',
        body: TransferBody,
        response: { 200: TransferReceiptSchema },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request);
      const principal = principalOf(request);
      const actor = actorOf(request);
      await ledger.assertWalletInHospital(request.body.toPersonId, principal.hospitalId);
      // The PIN is checked outside the money transaction: a wrong PIN's failure count must stick.
      await options.verifyPin(principal.personId, request.body.pin, actor);
      const { pin: _pin, ...request_ } = request.body;
      const { result, replayed } = await withIdempotency(
        options.db,
        { scope: `transfer:${principal.personId}`, key, request: request_, now: options.clock.now() },
        async (trx) => {
          const transfer = await ledger.transfer(
            trx,
            {
              fromPersonId: principal.personId,
              toPersonId: request.body.toPersonId,
              amountFen: request.body.amountFen,
              memo: request.body.memo,
              reference: { type: 'transfer_request', id: `${principal.personId}:${key}` },
            },
            actor,
          );
          return {
            entryId: transfer.entryId,
            toPersonId: request.body.toPersonId,
            amountFen: transfer.amountFen,
            balance: transfer.from,
            createdAt: transfer.createdAt,
          };
        },
      );
      return { ...result, replayed };
    },
  );

  app.post(
    '/api/me/withdrawals',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: '提款: ask for own funds back; the amount is held until finance decides. Send an Idempotency-Key',
        body: WithdrawalBody,
        response: { 200: WithdrawalSchema },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request);
      const personId = principalOf(request).personId;
      const { result } = await withIdempotency(
        options.db,
        { scope: `withdrawal:${personId}`, key, request: request.body, now: options.clock.now() },
        (trx) =>
          ledger.requestWithdrawal(
            trx,
            { personId, amountFen: request.body.amountFen, note: request.body.note },
            actorOf(request),
          ),
      );
      return result;
    },
  );

  app.get(
    '/api/me/withdrawals',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: 'My withdrawals, newest first',
        querystring: WithdrawalQuery,
        response: { 200: WithdrawalPageSchema },
      },
    },
    async (request) =>
      ledger.withdrawals(
        { personId: principalOf(request).personId, status: request.query.status },
        request.query.cursor ?? null,
        request.query.limit,
      ),
  );

  app.get(
    '/api/ledger/withdrawals',
    {
      config: { access: 'withdrawal.approve' },
      schema: {
        tags: ['ledger'],
        summary: 'Withdrawals for finance to decide (filter status=pending), newest first',
        querystring: WithdrawalQuery,
        response: { 200: WithdrawalPageSchema },
      },
    },
    async (request) =>
      ledger.withdrawals(
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
          tags: ['ledger'],
          summary: approve
            ? 'Record that the withdrawal was paid out (the hold becomes a payable)'
            : 'Reject the withdrawal (the hold returns to own funds)',
          params: IdParams,
          body: DecisionBody,
          response: { 200: WithdrawalSchema },
        },
      },
      async (request) =>
        ledger.decideWithdrawal(
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

  app.post(
    '/api/ledger/entries/:id/reversal',
    {
      config: { access: 'ledger.reverse' },
      schema: {
        tags: ['ledger'],
        summary: 'Correct an entry: a new entry with every posting negated, once. Send an Idempotency-Key',
        params: IdParams,
        body: ReversalBody,
        response: { 200: ReversalSchema },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request);
      const principal = principalOf(request);
      const { result, replayed } = await withIdempotency(
        options.db,
        {
          scope: `reversal:${principal.personId}`,
          key,
          request: { id: request.params.id, ...request.body },
          now: options.clock.now(),
        },
        async (trx) => {
          await ledger.assertEntryInHospital(trx, request.params.id, principal.hospitalId);
          return ledger.reverseEntry(
            trx,
            { entryId: request.params.id, reason: request.body.reason },
            actorOf(request),
          );
        },
      );
      return { ...result, replayed };
    },
  );

  app.get(
    '/api/ledger/settings',
    {
      config: { access: 'accounts.read' },
      schema: {
        tags: ['ledger'],
        summary: "The hospital's ledger settings: purse order for sales, subsidy expiry, transfer daily limit",
        response: { 200: LedgerSettingsSchema },
      },
    },
    async (request) => ledger.settings(principalOf(request).hospitalId),
  );

  app.put(
    '/api/ledger/settings',
    {
      config: { access: 'ledger.settings' },
      schema: {
        tags: ['ledger'],
        summary: 'Change some of the ledger settings (finance); the others stay. Audited',
        body: LedgerSettingsBody,
        response: { 200: LedgerSettingsSchema },
      },
    },
    async (request) => ledger.updateSettings(principalOf(request).hospitalId, request.body, actorOf(request)),
  );

  app.get(
    '/api/ledger/entries',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags: ['ledger'],
        summary: 'The journal: entries with their postings, newest first',
        querystring: EntriesQuery,
        response: { 200: JournalPageSchema },
      },
    },
    async (request) => {
      const { cursor, kind, ...filters } = request.query;
      return ledger.journal({ ...filters, kinds: kind, hospitalId: principalOf(request).hospitalId }, cursor ?? null);
    },
  );

  app.get(
    '/api/me/notifications',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: 'My notifications (one per movement of money), newest first',
        querystring: NotificationsQuery,
        response: { 200: NotificationListSchema },
      },
    },
    async (request) => ({
      items: await ledger.notifications(principalOf(request).personId, {
        beforeId: request.query.before,
        limit: request.query.limit,
      }),
    }),
  );

  app.get(
    '/api/me/notifications/stream',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['ledger'],
        summary: 'My notifications live (text/event-stream); each event id is the notification id',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      const personId = principalOf(request).personId;
      const lastEventId = Number(request.headers['last-event-id']);
      let after = Number.isSafeInteger(lastEventId) ? lastEventId : (request.query.after ?? undefined);
      if (after === undefined) {
        const [latest] = await ledger.notifications(personId, { limit: 1 });
        after = latest?.id ?? 0;
      }
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-request-id': request.id,
      });
      reply.raw.write('retry: 3000\n\n');
      let open = true;
      const stop = (): void => {
        if (!open) return;
        open = false;
        streams.delete(stop);
        reply.raw.end();
      };
      streams.add(stop);
      request.raw.on('close', stop);
      const poll = async (): Promise<void> => {
        let quiet = 0;
        while (open) {
          const fresh = await ledger.notifications(personId, { afterId: after, limit: 100 });
          if (!open) return;
          for (const n of fresh.reverse()) {
            reply.raw.write(`id: ${n.id}\nevent: ${n.topic}\ndata: ${JSON.stringify(n)}\n\n`);
            after = n.id;
          }
          // A comment line now and then keeps proxies from closing an idle stream.
          quiet = fresh.length ? 0 : quiet + 1;
          if (quiet % 10 === 9) reply.raw.write(': keep-alive\n\n');
          await new Promise((resolve) => setTimeout(resolve, options.streamPollMs ?? 2000));
        }
      };
      poll().catch((error: unknown) => {
        request.log.warn({ err: error }, 'notification stream stopped');
        stop();
      });
    },
  );
}
