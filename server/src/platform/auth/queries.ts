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
