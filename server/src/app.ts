import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyServerOptions } from 'fastify';
import FindMyWay from 'find-my-way';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Config } from './config.ts';
import { migrationStatus } from './db/migrate.ts';
import type { Database } from './db/index.ts';
import { cardRoutes } from './modules/cards/routes.ts';
import { ledgerRoutes } from './modules/ledger/index.ts';
import { orgRoutes } from './modules/org/routes.ts';
import { paymentRoutes } from './modules/payments/routes.ts';
import { statementRoutes } from './modules/statements/index.ts';
import { subsidyRoutes } from './modules/subsidies/routes.ts';
import { walletRoutes } from './modules/wallets/index.ts';
import { withdrawalRoutes } from './modules/withdrawals/index.ts';
import { installCsrfCheck } from './platform/auth/csrf.ts';
import { installAccessControl } from './platform/auth/plugin.ts';
import { apiTokenRoutes } from './platform/auth/api-token-routes.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { jobRoutes } from './platform/jobs/routes.ts';
import { JobsService } from './platform/jobs/service.ts';
import { installErrorHandler, sendProblem } from './platform/errors.ts';
import type { App } from './platform/http.ts';
import { RateLimiter, installRouteRateLimits } from './platform/rate-limit.ts';
import { installApiDocs } from './platform/openapi.ts';
import { installSecurityHeaders } from './platform/security-headers.ts';
import { serveWebApp } from './platform/web.ts';
import { buildServices, scheduledJobs, type ServiceOptions, type Services } from './services.ts';

export type { Services } from './services.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** Pino options, or false for silence (tests). Defaults to JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  services?: ServiceOptions;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function makeAjv(coerce: boolean): Ajv {
  // Bodies are strict: "12" is not a number and unknown fields are errors. Query strings and
  // path params are text by nature, so they are coerced to the declared type.
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

type Validator = ((data: unknown, context?: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

/**
 * A route's validator, compiled by Ajv on the route's first request rather than when the app is built:
 * compiling every route's schemas was the largest part of building the app on each start. Fastify passes
 * an Ajv function (one with `schemaEnv`) the request as context, so that coercing a whole query string
 * or params object sticks; the wrapper answers for the function it stands for.
 */
function compiledOnFirstUse(ajv: Ajv, schema: object): Validator {
  let compiled: ValidateFunction | undefined;
  const compile = (): ValidateFunction => (compiled ??= ajv.compile(schema));
  const validate: Validator = (data, context) => {
    const inner = compile();
    const valid = inner(data, context as Parameters<ValidateFunction>[1]) as boolean;
    validate.errors = inner.errors;
    return valid;
  };
  Object.defineProperty(validate, 'schemaEnv', { get: () => compile().schemaEnv });
  return validate;
}

export async function buildApp(options: AppOptions): Promise<{ app: App; services: Services }> {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Behind a reverse proxy, only the proxies named in TRUST_PROXY may say who the client is.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    compiledOnFirstUse(httpPart === 'body' ? strict : coercing, schema as object),
  );

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  installErrorHandler(app);
  await installSecurityHeaders(app, config);
  await app.register(fastifyCookie);

  const services: Services = buildServices(database.db, config, clock, options.services);
  // Before the access check: a forged request is refused without loading anyone's session.
  installCsrfCheck(app, config);
  installAccessControl(app, services.auth, services.apiTokens);
  // After the access check, so a route's limit can count per signed-in person.
  installRouteRateLimits(app, new RateLimiter(database.db, clock));

  await installApiDocs(app);

  // Known paths, for telling "wrong method" (405) from "no such thing" (404).
  const known = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD' && !known.hasRoute(method as 'GET', route.url))
        known.on(method as 'GET', route.url, () => {});
    }
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((m) => m !== request.method && known.find(m, path));
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, request, 405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here`, {
        allow: allowed,
      });
    }
    return sendProblem(reply, request, 404, 'NOT_FOUND', `Nothing at ${request.method} ${path}`);
  });

  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'checkHealth',
        tags: ['operations'],
        summary: 'The process is alive',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'checkReadiness',
        tags: ['operations'],
        summary: 'The database answers and every migration is applied',
        problems: [503],
        response: { 200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }) },
      },
    },
    async (request, reply) => {
      try {
        await sql`SELECT 1`.execute(database.db);
        const { pending } = await migrationStatus(database);
        if (pending.length) {
          return sendProblem(reply, request, 503, 'MIGRATIONS_PENDING', 'Migrations are not applied', { pending });
        }
        return { status: 'ready' as const, database: database.kind };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendProblem(reply, request, 503, 'DATABASE_UNAVAILABLE', 'The database does not answer');
      }
    },
  );

  authRoutes(app, services.auth, config);
  apiTokenRoutes(app, services.apiTokens);
  orgRoutes(app, services.org, services.peopleImport);
  cardRoutes(app, services.cards);
  ledgerRoutes(app, services.ledger);
  walletRoutes(app, services);
  withdrawalRoutes(app, services.withdrawals);
  statementRoutes(app, services);
  subsidyRoutes(app, services.subsidies);
  paymentRoutes(app, services.payments);
  jobRoutes(app, new JobsService(database.db, clock, scheduledJobs(database.db, services, config)));

  await serveWebApp(app, config);
  return { app, services };
}
