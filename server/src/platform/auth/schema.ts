// Request and reply shapes of sign-in, kept apart from the routes so the web app can import the
// types without pulling in Fastify.
import { Type, type Static } from 'typebox';
import { PERMISSIONS } from './permissions.ts';

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

export type Me = Static<typeof MeSchema>;
export type Session = Static<typeof SessionSchema>;
export type AuthOptions = Static<typeof AuthOptionsSchema>;
