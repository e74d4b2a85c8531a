// HTTP routes of wallets: parse, authorise (config.access), call the service, reply.
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import { actorOf, personOf, principalOf, type App } from '../../platform/http.ts';
import { IdParams } from '../../platform/schema.ts';
import type { FundingService } from './funding.ts';
import {
  CashTopUpBody,
  CashTopUpReceiptSchema,
  LedgerSettingsBody,
  LedgerSettingsSchema,
  TransferBody,
  TransferReceiptSchema,
  WalletSchema,
} from './schema.ts';
import type { WalletsService } from './service.ts';
import type { TransfersService } from './transfers.ts';

const IDEMPOTENCY_HEADER = { type: 'object', properties: { 'idempotency-key': { type: 'string' } } } as const;

export function walletRoutes(
  app: App,
  services: { wallets: WalletsService; funding: FundingService; transfers: TransfersService },
): void {
  const { wallets, funding, transfers } = services;
  const wallet = async (personId: number) => ({ personId, ...(await wallets.balances(personId)) });

  app.get(
    '/api/me/wallet',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getMyWallet',
        problems: [404],
        tags: ['wallets'],
        summary: 'My balances per purse',
        response: { 200: WalletSchema },
      },
    },
    async (request) => wallet(personOf(request).personId),
  );

  app.get(
    '/api/people/:id/wallet',
    {
      config: { access: 'accounts.read' },
      schema: {
        operationId: 'getPersonWallet',
        problems: [404],
        tags: ['wallets'],
        summary: "A person's balances",
        params: IdParams,
        response: { 200: WalletSchema },
      },
    },
    async (request) => {
      await wallets.assertWalletInHospital(request.params.id, principalOf(request).hospitalId);
      return wallet(request.params.id);
    },
  );

  app.post(
    '/api/ledger/cash-top-ups',
    {
      config: { access: 'topup.cash' },
      schema: {
        operationId: 'createCashTopUp',
        problems: [404, 409, 422],
        tags: ['wallets'],
        summary: 'Cash top-up at a counter (receipt). Send an Idempotency-Key header; a retry returns the same receipt',
        headers: IDEMPOTENCY_HEADER,
        body: CashTopUpBody,
        response: { 200: CashTopUpReceiptSchema },
      },
    },
    async (request) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { hospitalId } = principalOf(request);
      await wallets.assertWalletInHospital(request.body.personId, hospitalId);
      return funding.cashTopUp({ ...request.body, hospitalId, idempotencyKey }, actorOf(request));
    },
  );

  app.post(
    '/api/me/transfers',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'createTransfer',
        problems: [404, 409, 422, 423, 429],
        tags: ['wallets'],
        summary: '同事间转账: send own funds to a colleague (PIN, daily limit). Send an Idempotency-Key header',
        headers: IDEMPOTENCY_HEADER,
        body: TransferBody,
        response: { 200: TransferReceiptSchema },
      },
    },
    async (request) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { personId, hospitalId } = personOf(request);
      return transfers.send({ ...actorOf(request), personId, hospitalId }, { ...request.body, idempotencyKey });
    },
  );

  app.get(
    '/api/ledger/settings',
    {
      config: { access: 'accounts.read' },
      schema: {
        operationId: 'getLedgerSettings',
        tags: ['wallets'],
        summary: "The hospital's ledger settings: purse order for sales, subsidy expiry, transfer daily limit",
        response: { 200: LedgerSettingsSchema },
      },
    },
    async (request) => wallets.settings(principalOf(request).hospitalId),
  );

  app.put(
    '/api/ledger/settings',
    {
      config: { access: 'ledger.settings' },
      schema: {
        operationId: 'updateLedgerSettings',
        problems: [422],
        tags: ['wallets'],
        summary: 'Change some of the ledger settings (finance); the others stay. Audited',
        body: LedgerSettingsBody,
        response: { 200: LedgerSettingsSchema },
      },
    },
    async (request) => wallets.updateSettings(principalOf(request).hospitalId, request.body, actorOf(request)),
  );
}
