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
import type { Principal } from './auth/service.ts';
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
 *  - 'signed-in': any signed-in person, acting on their own things
 *  - a Permission: signed-in and holding a role that grants it
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

/** The signed-in person; the access hook has already refused the request if there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

/** The signed-in person's hospital: staff of one hospital see and change only its records. */
export function hospitalOf(request: FastifyRequest): number {
  return principalOf(request).hospitalId;
}

export function actorOf(request: FastifyRequest): Actor {
  return { personId: request.principal?.personId ?? null, requestId: request.id, ip: request.ip };
}

export function hasPermission(principal: Principal | null, permission: Permission): boolean {
  return principal?.permissions.includes(permission) ?? false;
}
