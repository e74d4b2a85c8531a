// HTTP routes of payment PINs (支付密码): a person sets theirs; the counter sees whether one is set and clears it.
import { Type } from 'typebox';
import { actorOf, personOf, principalOf, type App } from '../../platform/http.ts';
import { PersonParams, PinStatusSchema, ReasonSchema, SetPinSchema } from './schema.ts';
import type { CardsService } from './service.ts';

const tags = ['cards'];

export function pinRoutes(app: App, cards: CardsService): void {
  app.get(
    '/api/me/pin',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getMyPinStatus',
        tags,
        summary: 'Whether my payment PIN is set or locked',
        response: { 200: PinStatusSchema },
      },
    },
    async (request) => cards.pinStatus(personOf(request).personId),
  );

  app.put(
    '/api/me/pin',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'setMyPin',
        problems: [409, 422, 423, 429],
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

  app.get(
    '/api/people/:personId/pin',
    {
      config: { access: 'accounts.read' },
      schema: {
        operationId: 'getPersonPinStatus',
        problems: [404],
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
        operationId: 'resetPersonPin',
        problems: [404, 409],
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
