import type { FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { Config } from '../../config.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { actorOf, type App } from '../http.ts';
import { notAPerson, type ApiTokensService } from './api-tokens.ts';
import type { AuthService, NewSession } from './service.ts';

export const SESSION_COOKIE = 'canteen_session';

/** The secret of `Authorization: Bearer <secret>`, if the request carries one. */
function bearerSecret(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Checks every request against its route's declared access, after loading the session if there is one.
 * It runs on request, before the body is read or validated: a caller without a session learns 401,
 * one without the permission 403, and neither learns which fields the route expects.
 *
 * A bearer API token, when sent, is the caller (the cookie is not looked at): an unknown, revoked or
 * expired one is 401 at once, a missing scope 403, and a route that acts for a person ('signed-in')
 * 403 API_TOKEN_NOT_A_PERSON. Every such call is audited before the route runs. Public routes ignore
 * tokens: they need no caller.
 */
export function installAccessControl(app: App, auth: AuthService, tokens: ApiTokensService): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const path = route.url ?? route.path;
    if (path.startsWith('/api/') && !route.config?.access && !path.startsWith('/api/docs')) {
      throw new Error(`route ${String(route.method)} ${path} does not declare config.access`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    const secret = access === 'public' ? undefined : bearerSecret(request);
    if (secret !== undefined) {
      const principal = await tokens.authenticate(secret);
      request.principal = principal;
      const allowed = access !== 'signed-in' && access !== 'public' && principal.permissions.includes(access);
      const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
      await tokens.recordCall(actorOf(request), { method: request.method, route, allowed });
      if (access === 'signed-in') throw notAPerson();
      if (!allowed) throw forbidden(`This API token is not scoped to ${access}`);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.principal = await auth.principalFor(token);
    if (access === 'public') return;
    if (!request.principal) throw unauthenticated();
    if (access !== 'signed-in' && !request.principal.permissions.includes(access)) throw forbidden();
  });
}

export function sessionCookie(config: Config, session: NewSession) {
  return {
    path: '/',
    httpOnly: true,
    // Lax keeps the cookie off cross-site POSTs; our API also accepts only JSON bodies, which a
    // cross-site form cannot send without a CORS preflight we never grant.
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    expires: session.expiresAt,
  };
}

export function clientInfo(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' };
}

/**
 * Says in the OpenAPI document who may call each operation: public ones need no session
 * (`security: []`), and `x-permission` names the permission a route needs beyond signing in.
 */
export function documentAccess({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) {
  // Only routes outside /api (health checks) may leave access out, and they are public.
  const access = route.config?.access ?? 'public';
  // A route that acts for "me" takes the session cookie only; API tokens are for permission routes.
  if (access === 'signed-in') return { schema: { ...schema, security: [{ session: [] }] }, url };
  return { schema: access === 'public' ? { ...schema, security: [] } : { ...schema, 'x-permission': access }, url };
}
