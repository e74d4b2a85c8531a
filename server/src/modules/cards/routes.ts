import { Type } from 'typebox';
import { forbidden } from '../../platform/errors.ts';
import { actorOf, hasPermission, personOf, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import {
  AccountReturnReceiptSchema,
  AccountReturnSchema,
  CancelLossSchema,
  CardListQuery,
  CardListSchema,
  CardSchema,
  DenyListQuery,
  DenyListSchema,
  IdParams,
  IssueCardSchema,
  PersonParams,
  PinStatusSchema,
  ReasonSchema,
  ReplaceCardSchema,
  ReplacedCardSchema,
  SetPinSchema,
} from './schema.ts';
import type { CardsService } from './service.ts';

const tags = ['cards'];

export function cardRoutes(app: App, cards: CardsService): void {
  // —— the person's own cards and PIN (/m) ——

  app.get(
    '/api/me/cards',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'My cards', response: { 200: CardListSchema } },
    },
    async (request) => ({ items: await cards.listCards(personOf(request).personId) }),
  );

  app.post(
    '/api/me/cards/:id/report-lost',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Report my card lost (挂失): refused at once on every terminal',
        params: IdParams,
        response: { 200: CardSchema },
      },
    },
    async (request) =>
      cards.reportCardLost(request.params.id, actorOf(request), { ownerId: personOf(request).personId }),
  );

  app.post(
    '/api/me/cards/:id/cancel-loss',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Cancel the loss report of my card (解挂), with my payment PIN',
        params: IdParams,
        body: CancelLossSchema,
        response: { 200: CardSchema },
      },
    },
    async (request) =>
      cards.cancelCardLoss(request.params.id, personOf(request).personId, request.body.pin, actorOf(request)),
  );

  app.get(
    '/api/me/pin',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Whether my payment PIN is set or locked', response: { 200: PinStatusSchema } },
    },
    async (request) => cards.pinStatus(personOf(request).personId),
  );

  app.put(
    '/api/me/pin',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Set my six-digit payment PIN, or change it (the current PIN is then required)',
        body: SetPinSchema,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await cards.setPin(personOf(request).personId, request.body.pin, request.body.oldPin, actorOf(request));
      return reply.code(204).send(null);
    },
  );

  // —— the counter and the admin console ——

  app.get(
    '/api/cards',
    {
      config: { access: 'accounts.read' },
      schema: { tags, summary: "A person's cards", querystring: CardListQuery, response: { 200: CardListSchema } },
    },
    async (request) => ({
      items: await cards.listCards(request.query.personId, { hospitalId: principalOf(request).hospitalId }),
    }),
  );

  app.post(
    '/api/cards',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags,
        summary: 'Issue a card (发卡) to a person',
        body: IssueCardSchema,
        response: { 201: CardSchema },
      },
    },
    async (request, reply) => {
      const card = await cards.issueCard(request.body.personId, request.body.uid, actorOf(request), {
        hospitalId: principalOf(request).hospitalId,
      });
      return reply.code(201).send(card);
    },
  );

  app.post(
    '/api/cards/:id/report-lost',
    {
      // Cashiers take loss reports at the counter as well as administrators; auditors, who may
      // read accounts too, may not, hence the second check below.
      config: { access: 'accounts.read' },
      schema: {
        tags,
        summary: "Report a person's card lost (挂失) at the counter or in the console",
        params: IdParams,
        body: ReasonSchema,
        response: { 200: CardSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (!hasPermission(principal, 'accounts.manage') && !hasPermission(principal, 'topup.cash')) throw forbidden();
      return cards.reportCardLost(request.params.id, actorOf(request), {
        hospitalId: principal.hospitalId,
        reason: request.body.reason,
      });
    },
  );

  app.post(
    '/api/cards/:id/replace',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags,
        summary: 'Replace a card (补卡): a new card is issued and the old one revoked for good',
        params: IdParams,
        body: ReplaceCardSchema,
        response: { 200: ReplacedCardSchema },
      },
    },
    async (request) =>
      cards.replaceCard(request.params.id, request.body.uid, actorOf(request), {
        hospitalId: principalOf(request).hospitalId,
        reason: request.body.reason,
      }),
  );

  app.post(
    '/api/cards/:id/return',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags,
        summary: 'Return a card (退卡): revoked for good (the wallet is settled by the ledger)',
        params: IdParams,
        body: ReasonSchema,
        response: { 200: CardSchema },
      },
    },
    async (request) =>
      cards.returnCard(request.params.id, actorOf(request), {
        hospitalId: principalOf(request).hospitalId,
        reason: request.body.reason,
      }),
  );

  app.post(
    '/api/people/:personId/account-return',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags,
        summary:
          '退卡 on leaving: own funds paid out in cash at the counter, subsidy returned, wallet closed, every card revoked. Send an Idempotency-Key',
        params: PersonParams,
        body: AccountReturnSchema,
        response: { 200: AccountReturnReceiptSchema },
      },
    },
    async (request) =>
      cards.returnAccount(
        request.params.personId,
        { ...request.body, idempotencyKey: idempotencyKeyOf(request) },
        actorOf(request),
        { hospitalId: principalOf(request).hospitalId },
      ),
  );

  app.get(
    '/api/cards/deny-list',
    {
      // Terminal principals arrive with the POS issue; until then, a signed-in account reader.
      config: { access: 'accounts.read' },
      schema: {
        tags,
        summary: 'Card changes after version `since`, for terminals to keep an offline deny-list',
        querystring: DenyListQuery,
        response: { 200: DenyListSchema },
      },
    },
    async (request) => cards.denyList(request.query.since, request.query.limit),
  );

  app.get(
    '/api/people/:personId/pin',
    {
      config: { access: 'accounts.read' },
      schema: {
        tags,
        summary: "Whether a person's payment PIN is set or locked (never the PIN)",
        params: PersonParams,
        response: { 200: PinStatusSchema },
      },
    },
    async (request) => cards.pinStatus(request.params.personId, { hospitalId: principalOf(request).hospitalId }),
  );

  app.post(
    '/api/people/:personId/pin/reset',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags,
        summary: "Clear a person's forgotten or locked payment PIN; they set a new one",
        params: PersonParams,
        body: ReasonSchema,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await cards.resetPin(request.params.personId, actorOf(request), {
        hospitalId: principalOf(request).hospitalId,
        reason: request.body.reason,
      });
      return reply.code(204).send(null);
    },
  );
}
