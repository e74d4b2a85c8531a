// HTTP routes of statements and notifications: parse, authorise, call the services, reply.
import { personOf, principalOf, type App } from '../../platform/http.ts';
import { IdParams } from '../../platform/schema.ts';
import type { WalletsService } from '../wallets/index.ts';
import { notificationStreams } from './event-stream.ts';
import type { NotificationsService } from './notifications.ts';
import {
  NotificationListSchema,
  NotificationsQuery,
  StatementPageSchema,
  StatementQuery,
  StreamQuery,
} from './schema.ts';
import type { StatementsService } from './service.ts';

export function statementRoutes(
  app: App,
  services: { statements: StatementsService; notifications: NotificationsService; wallets: WalletsService },
): void {
  const { statements, notifications, wallets } = services;

  app.get(
    '/api/me/statement',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getMyStatement',
        problems: [422],
        tags: ['statements'],
        summary: 'My statement, newest first (pass nextCursor back as cursor for older items)',
        querystring: StatementQuery,
        response: { 200: StatementPageSchema },
      },
    },
    async (request) => {
      const { cursor, kind, ...filters } = request.query;
      return statements.statement(personOf(request).personId, { ...filters, kinds: kind }, cursor ?? null);
    },
  );

  app.get(
    '/api/people/:id/statement',
    {
      config: { access: 'accounts.read' },
      schema: {
        operationId: 'getPersonStatement',
        problems: [404, 422],
        tags: ['statements'],
        summary: "A person's statement, newest first",
        params: IdParams,
        querystring: StatementQuery,
        response: { 200: StatementPageSchema },
      },
    },
    async (request) => {
      await wallets.assertWalletInHospital(request.params.id, principalOf(request).hospitalId);
      const { cursor, kind, ...filters } = request.query;
      return statements.statement(request.params.id, { ...filters, kinds: kind }, cursor ?? null);
    },
  );

  app.get(
    '/api/me/notifications',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'listMyNotifications',
        tags: ['statements'],
        summary: 'My notifications (one per movement of money), newest first',
        querystring: NotificationsQuery,
        response: { 200: NotificationListSchema },
      },
    },
    async (request) => ({
      items: await notifications.list(personOf(request).personId, {
        beforeId: request.query.before,
        limit: request.query.limit,
      }),
    }),
  );

  const serveStream = notificationStreams(app, notifications);

  app.get(
    '/api/me/notifications/stream',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'streamMyNotifications',
        problems: [422],
        tags: ['statements'],
        summary: 'My notifications live (text/event-stream); each event id is a cursor to resume from',
        querystring: StreamQuery,
        response: {
          200: {
            description: 'Server-sent events: `event` is the topic, `data` a WalletNotification as JSON',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      await serveStream(
        request,
        reply,
        personOf(request).personId,
        typeof lastEventId === 'string' ? lastEventId : request.query.after,
      );
    },
  );
}
