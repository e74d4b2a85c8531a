// HTTP routes of cards: a person's own cards here, the counter's and the PINs' beside.
import { actorOf, personOf, type App } from '../../platform/http.ts';
import { counterCardRoutes } from './routes-counter.ts';
import { pinRoutes } from './routes-pins.ts';
import { CancelLossSchema, CardListSchema, CardSchema, IdParams } from './schema.ts';
import type { CardsService } from './service.ts';

const tags = ['cards'];

export function cardRoutes(app: App, cards: CardsService): void {
  counterCardRoutes(app, cards);
  pinRoutes(app, cards);

  // —— the person's own cards (/m) ——

  app.get(
    '/api/me/cards',
    {
      config: { access: 'signed-in' },
      schema: { operationId: 'listMyCards', tags, summary: 'My cards', response: { 200: CardListSchema } },
    },
    async (request) => ({ items: await cards.listCards(personOf(request).personId) }),
  );

  app.post(
    '/api/me/cards/:id/report-lost',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'reportMyCardLost',
        problems: [404, 409],
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
        operationId: 'cancelMyCardLoss',
        problems: [404, 409, 423, 429],
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
}
