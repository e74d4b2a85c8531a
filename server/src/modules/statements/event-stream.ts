// A person's notifications as server-sent events (text/event-stream), for the /m app to show live.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http.ts';
import type { NotificationsService } from './notifications.ts';

/**
 * Returns what serves one stream: it resumes after `after` (an event id the client saw), sends each
 * notification with its cursor as the event id, and keeps the connection alive until the client leaves.
 */
export function notificationStreams(app: App, notifications: NotificationsService) {
  // Live streams end when the server closes, so a shutdown never waits on them.
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
  });

  return async (request: FastifyRequest, reply: FastifyReply, personId: number, after: string | undefined) => {
    const from = await notifications.streamStart(personId, after);
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
  };
}
