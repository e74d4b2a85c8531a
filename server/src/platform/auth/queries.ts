import type { Db as ModuleDb } from '../../db/database.ts';
import type { AuthTables, SessionMethod } from './tables.ts';

// Sign-in's tables (password logins, sessions). Who the person is (name, status, roles) is the org
// module's: the service asks its directory, never these queries.
type Db = ModuleDb<AuthTables>;

export function findLoginByUsername(db: Db, username: string) {
  return db
    .selectFrom('passwordLogins')
    .select(['personId', 'passwordHash'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export function upsertPasswordLogin(db: Db, personId: number, username: string, passwordHash: string) {
  return db
    .insertInto('passwordLogins')
    .values({ personId, username, passwordHash })
    .onConflict((oc) => oc.column('personId').doUpdateSet({ username, passwordHash }))
    .execute();
}

export function insertSession(
  db: Db,
  session: {
    tokenHash: string;
    personId: number;
    method: SessionMethod;
    expiresAt: Date;
    ip: string;
    userAgent: string;
  },
) {
  return db.insertInto('sessions').values(session).execute();
}

export function findSession(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['personId', 'method', 'expiresAt'])
    .where('tokenHash', '=', tokenHash)
    .where('expiresAt', '>', now)
    .executeTakeFirst();
}

export function deleteSession(db: Db, tokenHash: string) {
  return db.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute();
}

export function deleteExpiredSessions(db: Db, now: Date) {
  return db.deleteFrom('sessions').where('expiresAt', '<=', now).executeTakeFirst();
}

// —— API tokens ——

export function insertApiToken(
  db: Db,
  token: {
    hospitalId: number;
    name: string;
    prefix: string;
    secretHash: string;
    scopes: string;
    createdBy: number;
    expiresAt: Date | null;
  },
) {
  return db.insertInto('apiTokens').values(token).returning('id').executeTakeFirstOrThrow();
}

const apiTokenColumns = [
  'id',
  'hospitalId',
  'name',
  'prefix',
  'scopes',
  'createdBy',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'revokedAt',
  'revokedBy',
] as const;

export function listApiTokens(db: Db, hospitalId: number) {
  return db
    .selectFrom('apiTokens')
    .select(apiTokenColumns)
    .where('hospitalId', '=', hospitalId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findApiToken(db: Db, hospitalId: number, id: number) {
  return db
    .selectFrom('apiTokens')
    .select(apiTokenColumns)
    .where('hospitalId', '=', hospitalId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findApiTokenBySecretHash(db: Db, secretHash: string) {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'hospitalId', 'name', 'scopes', 'expiresAt', 'lastUsedAt', 'revokedAt'])
    .where('secretHash', '=', secretHash)
    .executeTakeFirst();
}

/** Revokes a live token; undefined when it was revoked already (or is not this hospital's). */
export function revokeApiToken(db: Db, hospitalId: number, id: number, by: number, now: Date) {
  return db
    .updateTable('apiTokens')
    .set({ revokedAt: now, revokedBy: by })
    .where('hospitalId', '=', hospitalId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Records a use unless one was recorded after `staleBefore`: concurrent calls write once between them. */
export function touchApiToken(db: Db, id: number, now: Date, staleBefore: Date) {
  return db
    .updateTable('apiTokens')
    .set({ lastUsedAt: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<=', staleBefore)]))
    .execute();
}

/** The names of these tokens, for the audit history (which names a token as the actor of its changes). */
export function apiTokenNames(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('apiTokens').select(['id', 'name']).where('id', 'in', ids).execute();
}
