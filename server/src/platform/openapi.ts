// The OpenAPI document integrators generate clients from (served at /api/docs/json).
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifySchema, RouteOptions } from 'fastify';
import { Type } from 'typebox';
import { documentAccess } from './auth/plugin.ts';
import type { App } from './http.ts';
import { apiDocsPolicy } from './security-headers.ts';

/** Error statuses a route can answer beyond those the document derives from its access and schema. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429 | 503;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The problem+json answers its service can give (404, 409, 422 …). Validation (400), session (401),
     * permission or cross-site (403), body size and type (413, 415) and rate limits (429) are added
     * from the route's schema and config, so a route names only what its rules can refuse.
     */
    problems?: ProblemStatus[];
  }
}

/** The body of every error answer (RFC 9457), as platform/errors.ts sendProblem writes it. */
const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'urn:canteen:problem:<code in kebab case>' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. CARD_FROZEN; map it to your own text' }),
    detail: Type.String({ description: 'English text for a developer; never shown to users as is' }),
    instance: Type.String(),
    requestId: Type.String({ description: 'Quote it when you report a problem: the server logs it' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON pointer into the request, e.g. /body/amountFen' }),
          message: Type.String(),
        }),
        { description: 'Each invalid field, on VALIDATION_FAILED and some 422 answers' },
      ),
    ),
  },
  {
    $id: 'Problem',
    // A problem may carry details of its own (allow, retryAfterSeconds, entity …).
    additionalProperties: true,
    description: 'An error answer (application/problem+json, RFC 9457)',
  },
);

const PROBLEM_TEXT: Record<ProblemStatus | 415, string> = {
  400: 'The request is malformed: VALIDATION_FAILED lists each bad field in `errors`',
  401: 'Not signed in, or the session has expired (UNAUTHENTICATED)',
  403: 'Not allowed: FORBIDDEN without the permission, CSRF_REFUSED for a write from another site, or a rule of the route',
  404: 'What the request names does not exist (NOT_FOUND or a more specific code)',
  409: 'The request clashes with the current state; `code` says how',
  413: 'The body is too large (PAYLOAD_TOO_LARGE)',
  415: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'The request is well-formed but breaks a rule; `code` says which',
  423: 'Locked for a while after too many failures; `code` says what',
  429: 'Too many attempts (TOO_MANY_ATTEMPTS); wait for Retry-After seconds',
  503: 'A service this operation needs is unavailable',
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODIES = new Set(['POST', 'PUT', 'PATCH']);

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/** Every problem status an operation can answer: what its rules declare plus what its access and schema imply. */
export function problemStatuses(route: RouteOptions, schema: FastifySchema): (ProblemStatus | 415)[] {
  const statuses = new Set<ProblemStatus | 415>(schema.problems ?? []);
  const access = route.config?.access ?? 'public';
  const methods = methodsOf(route);
  if (schema.params || schema.querystring || schema.body || schema.headers) statuses.add(400);
  if (access !== 'public') statuses.add(401);
  if ((access !== 'public' && access !== 'signed-in') || methods.some((m) => WRITES.has(m))) statuses.add(403);
  if (methods.some((m) => BODIES.has(m))) {
    statuses.add(400).add(413).add(415);
  }
  if (route.config?.rateLimit?.length) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

function documentProblems(route: RouteOptions, schema: FastifySchema): FastifySchema {
  const answers = Object.fromEntries(
    problemStatuses(route, schema).map((status) => [
      status,
      {
        description: PROBLEM_TEXT[status],
        content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
      },
    ]),
  );
  const { problems: _declared, ...rest } = schema;
  return { ...rest, response: { ...(schema.response as object | undefined), ...answers } };
}

const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;

/**
 * Registers the document and its viewer. Every /api operation must name a stable operationId
 * (camelCase verbNoun, e.g. listPeople): generated clients call methods by it, so the app refuses
 * to start when a route forgets one or two routes share one.
 */
export async function installApiDocs(app: App): Promise<void> {
  app.addSchema(ProblemSchema);
  const seen = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    const path = route.url ?? route.path;
    if (!path.startsWith('/api/') || path.startsWith('/api/docs') || route.method === 'HEAD') return;
    const where = `${methodsOf(route).join(',')} ${path}`;
    const id = route.schema?.operationId;
    if (!id || !OPERATION_ID.test(id)) {
      throw new Error(`route ${where} does not declare schema.operationId (camelCase verbNoun, e.g. listPeople)`);
    }
    const other = seen.get(id);
    if (other && other !== where) throw new Error(`routes ${other} and ${where} share operationId ${id}`);
    seen.set(id, where);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Smart Canteen API',
        version: '0.1.0',
        description:
          'Every route of the platform, generated from the schemas the server validates with. Each operation has a stable operationId; every error answer is a Problem (application/problem+json) with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'canteen_session' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token (docs/integrations.md)' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    // Shared schemas keep their $id as their component name: #/components/schemas/Problem.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const documented = documentAccess({ schema, url, route });
      return { schema: documentProblems(route, documented.schema), url: documented.url };
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', transformStaticCSP: apiDocsPolicy });
}
