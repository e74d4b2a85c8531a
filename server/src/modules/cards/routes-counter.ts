// HTTP routes of cards at the counter and in the admin console: issue, 挂失, 补卡, 退卡, the deny-list.
import { forbidden } from '../../platform/errors.ts';
import { actorOf, hasPermission, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import {
  AccountReturnReceiptSchema,
  AccountReturnSchema,
  CardListQuery,
  CardListSchema,
  CardSchema,
  DenyListQuery,
  DenyListSchema,
  IdParams,
  IssueCardSchema,
  PersonParams,
  ReasonSchema,
  ReplaceCardSchema,
  ReplacedCardSchema,
} from './schema.ts';
import type { CardsService } from './service.ts';

const tags = ['cards'];

export function counterCardRoutes(app: App, cards: CardsService): void {
  app.get(
    '/api/cards',
    {
      config: { access: 'accounts.read' },
      schema: {
        operationId: 'listCards',
        problems: [404],
        tags,
        summary: "A person's cards",
        querystring: CardListQuery,
        response: { 200: CardListSchema },
      },
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
        operationId: 'issueCard',
        problems: [404, 409, 422],
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
        operationId: 'reportCardLost',
        problems: [404, 409],
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
        operationId: 'replaceCard',
        problems: [404, 409, 422],
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
        operationId: 'returnCard',
        problems: [404, 409],
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
        operationId: 'returnAccount',
        problems: [404, 409, 422, 503],
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
        operationId: 'getCardDenyList',
        tags,
        summary: 'Card changes after version `since`, for terminals to keep an offline deny-list',
        querystring: DenyListQuery,
        response: { 200: DenyListSchema },
      },
    },
    async (request) => cards.denyList(request.query.since, request.query.limit),
  );
}
