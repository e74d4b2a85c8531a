// HTTP routes of statements and notifications: parse, authorise, call the services, reply.
import { personOf, principalOf, type App } from '../../platform/http.ts';
import { IdParams } from '../../platform/schema.ts';
import type { WalletsService } from '../wallets/index.ts';
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

  // Live notification streams end when the server closes, so a shutdown never waits on them.
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/api/me/notifications/stream',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['statements'],
        summary: 'My notifications live (text/event-stream); each event id is a cursor to resume from',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      const personId = personOf(request).personId;
      const lastEventId = request.headers['last-event-id'];
      const from = await notifications.streamStart(
        personId,
        typeof lastEventId === 'string' ? lastEventId : request.query.after,
      );
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
      (async () => {
        for await (const event of notifications.stream(personId, from, () => open)) {
          if (!open) return;
          if (event === null) reply.raw.write(': keep-alive\n\n');
          else {
            const { cursor, ...notice } = event;
            reply.raw.write(`id: ${cursor}\nevent: ${notice.topic}\ndata: ${JSON.stringify(notice)}\n\n`);
          }
        }
      })().catch((error: unknown) => {
        request.log.warn({ err: error }, 'notification stream stopped');
        stop();
      });
    },
  );
}
