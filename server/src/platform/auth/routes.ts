import { Type } from 'typebox';
import { AuthOptionsSchema, MeSchema, SessionSchema } from './schema.ts';
import type { Config } from '../../config.ts';
import type { App } from '../http.ts';
import { personOf } from '../http.ts';
import { SESSION_COOKIE, clientInfo, sessionCookie } from './plugin.ts';
import type { AuthService, PersonPrincipal } from './service.ts';
import { ROLES } from './permissions.ts';

const me = (p: PersonPrincipal) => ({
  personId: p.personId,
  name: p.name,
  employeeNo: p.employeeNo,
  roles: p.roles,
  permissions: p.permissions,
  method: p.method,
});

export function authRoutes(app: App, auth: AuthService, config: Config): void {
  app.get(
    '/api/auth/options',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getAuthOptions',
        tags: ['auth'],
        summary: 'How people can sign in on this installation',
        response: { 200: AuthOptionsSchema },
      },
    },
    async () => ({ devLogin: config.devLogin, testPayments: config.testPayments, roles: [...ROLES] }),
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'login',
        problems: [401, 429],
        tags: ['auth'],
        summary: 'Sign in with username and password',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeSchema },
      },
    },
    async (request, reply) => {
      const session = await auth.loginWithPassword(request.body.username, request.body.password, clientInfo(request));
      reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(config, session));
      return me(session.principal);
    },
  );

  app.post(
    '/api/auth/dev-login',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'loginForDevelopment',
        problems: [401, 429],
        tags: ['auth'],
        summary: 'Development sign-in by employee number (only when CANTEEN_DEV_LOGIN=true)',
        body: Type.Object(
          { employeeNo: Type.String({ minLength: 1, maxLength: 32 }) },
          { additionalProperties: false },
        ),
        response: { 200: MeSchema },
      },
    },
    async (request, reply) => {
      const session = await auth.loginForDevelopment(request.body.employeeNo, clientInfo(request));
      reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(config, session));
      return me(session.principal);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'public' },
      schema: { operationId: 'logout', tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getSession',
        tags: ['auth'],
        summary: 'Whether this browser is signed in, and as whom (200 either way, for the sign-in pages)',
        response: { 200: SessionSchema },
      },
    },
    // The access check has loaded the session from the cookie, if there is a live one.
    async (request) =>
      request.principal?.kind === 'person'
        ? { signedIn: true, me: me(request.principal) }
        : { signedIn: false, me: null },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'The signed-in person, roles and permissions',
        response: { 200: MeSchema },
      },
    },
    async (request) => me(personOf(request)),
  );
}
