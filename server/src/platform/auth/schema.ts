// Request and reply shapes of sign-in, kept apart from the routes so the web app can import the
// types without pulling in Fastify.
import { Type, type Static } from 'typebox';
import { Id, Instant, Nullable } from '../schema.ts';
import { PERMISSIONS, TOKEN_SCOPES, type Permission } from './permissions.ts';

const meFields = {
  personId: Type.Integer(),
  name: Type.String(),
  employeeNo: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String({ enum: [...PERMISSIONS] })),
  method: Type.Union([Type.Literal('password'), Type.Literal('dev'), Type.Literal('wecom')]),
};

export const MeSchema = Type.Object(meFields, { $id: 'Me' });

/** Whether the browser's cookie holds a session: a sign-in page asks this, and "no" is not an error. */
export const SessionSchema = Type.Object({
  signedIn: Type.Boolean(),
  me: Type.Union([Type.Object(meFields), Type.Null()]),
});

export const AuthOptionsSchema = Type.Object({
  devLogin: Type.Boolean(),
  /** The test payment channel is on: /m offers a simulated online top-up. */
  testPayments: Type.Boolean(),
  roles: Type.Array(Type.String()),
});

export const ApiTokenSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    /** The secret's first characters (cnt_ and 8 more), to tell tokens apart; the rest is never shown again. */
    prefix: Type.String(),
    scopes: Type.Array(Type.String()),
    createdBy: Type.Object({ personId: Id, name: Type.String() }),
    createdAt: Instant,
    expiresAt: Nullable(Instant),
    /** To the minute: it is written at most once a minute. */
    lastUsedAt: Nullable(Instant),
    revokedAt: Nullable(Instant),
  },
  { $id: 'ApiToken' },
);

export const ApiTokenListSchema = Type.Object({
  items: Type.Array(ApiTokenSchema),
  /** What a token may be granted at all; the caller may grant those of them they hold. */
  grantableScopes: Type.Array(Type.Unsafe<Permission>(Type.String({ enum: [...TOKEN_SCOPES] }))),
});

export const NewApiTokenSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.String({ enum: [...PERMISSIONS] }), { minItems: 1, maxItems: PERMISSIONS.length }),
    expiresAt: Type.Optional(Instant),
  },
  { additionalProperties: false },
);

export const CreatedApiTokenSchema = Type.Object({
  token: ApiTokenSchema,
  /** The bearer secret: shown this once, stored only as a hash. */
  secret: Type.String(),
});

export type Me = Static<typeof MeSchema>;
export type Session = Static<typeof SessionSchema>;
export type AuthOptions = Static<typeof AuthOptionsSchema>;
export type ApiTokenView = Static<typeof ApiTokenSchema>;
export type ApiTokenList = Static<typeof ApiTokenListSchema>;
export type NewApiToken = Static<typeof NewApiTokenSchema>;
export type CreatedApiToken = Static<typeof CreatedApiTokenSchema>;
