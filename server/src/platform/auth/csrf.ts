// Cross-site request forgery (OWASP ASVS 3.5.3): a page on another site must not make a signed-in
// browser change anything here. SameSite=Lax keeps the cookie off cross-site POSTs, but not off
// requests from another port or subdomain of the same site (same-site), and old browsers ignore it.
//
// The rule is the one Go's net/http CrossOriginProtection settled on: browsers mark every request
// with Sec-Fetch-Site (older ones with Origin only), a page cannot forge either, and a request that
// carries neither did not come from a page in a browser, so there is nothing to forge.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http.ts';
import { SESSION_COOKIE } from './plugin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Terminals' own credentials and bearer API tokens travel in the Authorization header, which a page
 * on another site cannot set without a CORS preflight we never grant: those requests are exempt.
 * With the session cookie present the request counts as cookie-authenticated whatever else it carries.
 */
const authenticatedOtherwise = (request: FastifyRequest): boolean =>
  request.cookies[SESSION_COOKIE] === undefined && request.headers.authorization !== undefined;

/** Whether the Origin names this very host (Host "example.org:80" and Origin "http://example.org" do). */
function isOwnHost(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return host !== undefined && url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false; // "null": a sandboxed frame, a file, a redirect across sites
  }
}

function isCrossOrigin(request: FastifyRequest, config: Config): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin === config.publicOrigin) return false;
  const site = request.headers['sec-fetch-site'];
  // 'none' is the person's own action (typed address, bookmark); 'same-site' is another origin.
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (origin === undefined) return false;
  return !isOwnHost(origin, request.headers.host);
}

/** Refuses writes (POST, PUT, PATCH, DELETE) that a browser says came from another origin: 403 CSRF_REFUSED. */
export function installCsrfCheck(app: App, config: Config): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (authenticatedOtherwise(request) || !isCrossOrigin(request, config)) return;
    request.log.warn({ origin: request.headers.origin, site: request.headers['sec-fetch-site'] }, 'cross-site write');
    throw new AppError('CSRF_REFUSED', 403, 'This request came from another site; use the platform’s own pages');
  });
}
