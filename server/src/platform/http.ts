import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Actor } from './audit.ts';
import type { Permission } from './auth/permissions.ts';
import { notAPerson } from './auth/api-tokens.ts';
import type { PersonPrincipal, Principal } from './auth/service.ts';
import { unauthenticated } from './errors.ts';
import type { RouteRateLimit } from './rate-limit.ts';

/** The Fastify instance every module's routes are registered on: TypeBox schemas give typed handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * Who may call a route. Every /api route must say: the app refuses to start otherwise,
 * so no route is left open by forgetting.
 *  - 'public': anyone (health, login)
 *  - 'signed-in': any signed-in person, acting on their own things (never an API token)
 *  - a Permission: a signed-in person holding a role that grants it, or an API token scoped to it
 */
export type Access = 'public' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Buckets every request to the route counts in (platform/rate-limit.ts). */
    rateLimit?: RouteRateLimit[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The person or API token calling; the access hook has already refused the request if there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

/** The signed-in person's hospital: staff of one hospital see and change only its records. */
export function hospitalOf(request: FastifyRequest): number {
  return principalOf(request).hospitalId;
}

/** The signed-in person, for routes that act for "me" or record who decided: an API token is refused. */
export function personOf(request: FastifyRequest): PersonPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'person') throw notAPerson();
  return principal;
}

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  return {
    personId: p?.kind === 'person' ? p.personId : null,
    apiTokenId: p?.kind === 'token' ? p.tokenId : null,
    requestId: request.id,
    ip: request.ip,
  };
}

export function hasPermission(principal: Principal | null, permission: Permission): boolean {
  return principal?.permissions.includes(permission) ?? false;
}
