import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config.ts';
import { sendProblem } from './errors.ts';
import type { App } from './http.ts';
import { staffAppHeaders } from './security-headers.ts';

/** The entry pages of the one web build; each is a single-page app under its own path. */
export const WEB_APPS = [
  { path: '/admin', page: 'admin/index.html' },
  { path: '/m', page: 'm/index.html' },
] as const;

const MOBILE = /Mobile|Android|iPhone|wxwork|MicroMessenger/i;

export async function serveWebApp(app: App, config: Config): Promise<void> {
  const dist = config.webDist;
  const built = existsSync(path.join(dist, WEB_APPS[0].page));

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    // Phones (and WeCom's web view) land on the staff app, desks on the console.
    return reply.redirect(MOBILE.test(request.headers['user-agent'] ?? '') ? '/m/' : '/admin/');
  });

  if (!built) {
    for (const entry of WEB_APPS) {
      app.get(`${entry.path}*`, { schema: { hide: true } }, async (request, reply) =>
        sendProblem(
          reply,
          request,
          503,
          'WEB_NOT_BUILT',
          `The web app is not built: run "npm run build" (looked in ${dist})`,
        ),
      );
    }
    return;
  }

  // Assets are looked up on each request (wildcard), not listed once at start: a rebuild while the
  // server runs brings new hashed names, and those must be served without a restart.
  const assets = path.join(dist, 'assets');
  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/',
    index: false,
    wildcard: true,
    // Built assets carry a content hash in their name, so they never change under it; the pages name
    // the current assets, so they must never be cached.
    setHeaders: (res, file) =>
      res.header('cache-control', file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const staffApp = staffAppHeaders(config);
  for (const entry of WEB_APPS) {
    const headers = entry.path === '/m' && staffApp ? { helmet: staffApp } : {};
    app.get(entry.path, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${entry.path}/`));
    app.get(`${entry.path}/*`, { schema: { hide: true }, ...headers }, async (_request, reply) =>
      reply.sendFile(entry.page, dist),
    );
  }
}
