import type { Db } from '../../db/database.ts';
import type { SessionMethod } from '../../db/tables.ts';

// The identity tables (password logins, sessions, role grants) belong to platform/auth.
// The principal needs the person's name and status too, so these reads join `people`.

export function findLoginByUsername(db: Db, username: string) {
  return db
    .selectFrom('passwordLogins as l')
    .innerJoin('people as p', 'p.id', 'l.personId')
    .select(['l.personId', 'l.passwordHash', 'p.status'])
    .where('l.username', '=', username)
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

export function findSessionPrincipal(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('people as p', 'p.id', 's.personId')
    .select(['s.personId', 's.method', 's.expiresAt', 'p.name', 'p.employeeNo', 'p.status', 'p.hospitalId'])
    .select((eb) =>
      eb
        .selectFrom('personRoles as r')
        .whereRef('r.personId', '=', 's.personId')
        .select((e) =>
          e.fn.coalesce(e.fn.agg<string[]>('array_agg', ['r.roleCode']), e.val([] as string[])).as('roles'),
        )
        .as('roles'),
    )
    .where('s.tokenHash', '=', tokenHash)
    .where('s.expiresAt', '>', now)
    .executeTakeFirst();
}

export function deleteSession(db: Db, tokenHash: string) {
  return db.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute();
}

export function deleteExpiredSessions(db: Db, now: Date) {
  return db.deleteFrom('sessions').where('expiresAt', '<=', now).executeTakeFirst();
}

export function findActivePersonByEmployeeNo(db: Db, employeeNo: string) {
  return db.selectFrom('people').select(['id', 'status']).where('employeeNo', '=', employeeNo).executeTakeFirst();
}
