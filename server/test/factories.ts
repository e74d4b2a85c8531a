// Small factories that build rows for tests. They write straight to the tables, so a test of one
// module does not depend on another module's rules; tests of the org rules go through OrgService.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../src/tables.ts';
import { spellName } from '../src/modules/org/index.ts';
import type { PersonKind } from '../src/modules/org/tables.ts';
import type { Role } from '../src/platform/auth/permissions.ts';
import { SESSION_COOKIE } from '../src/platform/auth/plugin.ts';
import type { TestApp } from './harness.ts';

const unique = (): string => randomBytes(4).toString('hex');

export async function newHospital(db: Kysely<DB>) {
  const existing = await db.selectFrom('hospitals').select('id').orderBy('id').executeTakeFirst();
  if (existing) return existing;
  return db
    .insertInto('hospitals')
    .values({ code: 'TEST', name: '测试医院' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function newCampus(db: Kysely<DB>, values: { name?: string } = {}) {
  const hospital = await newHospital(db);
  return db
    .insertInto('campuses')
    .values({ hospitalId: hospital.id, code: `C${unique()}`, name: values.name ?? '测试院区' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function newDepartment(
  db: Kysely<DB>,
  values: { campusId?: number; parentId?: number; name?: string } = {},
) {
  const campusId = values.campusId ?? (await newCampus(db)).id;
  const hospital = await newHospital(db);
  return db
    .insertInto('departments')
    .values({
      hospitalId: hospital.id,
      campusId,
      parentId: values.parentId ?? null,
      code: `D${unique()}`,
      name: values.name ?? '测试科室',
      building: '1号楼',
      floor: '3',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A person row only: modules that react to a person joining are not called (see OrgService for that). */
export async function newPerson(
  db: Kysely<DB>,
  values: { name?: string; employeeNo?: string; departmentId?: number; kind?: PersonKind; roles?: Role[] } = {},
) {
  const hospital = await newHospital(db);
  const departmentId = values.departmentId ?? (await newDepartment(db)).id;
  const name = values.name ?? '张三';
  const person = await db
    .insertInto('people')
    .values({
      hospitalId: hospital.id,
      employeeNo: values.employeeNo ?? `E${unique()}`,
      name,
      ...spellName(name),
      departmentId,
      kind: values.kind ?? 'staff',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const role of values.roles ?? []) {
    await db.insertInto('personRoles').values({ personId: person.id, roleCode: role, grantedBy: null }).execute();
  }
  return person;
}

export const TEST_PASSWORD = 'test-password-1';

/**
 * Creates a person holding `roles` with a session of their own, and returns the cookie header to send.
 * The session is opened by the same AuthService call the login route makes once the password checks
 * out; the password check itself (scrypt, costly by design) is tested in auth.test.ts, not paid here.
 */
export async function signIn(t: TestApp, roles: Role[], values: { name?: string } = {}) {
  const person = await newPerson(t.database.db, { roles, ...values });
  const session = await t.services.auth.openSession(person.id, 'password', { ip: '127.0.0.1', userAgent: 'test' });
  return { person, cookie: `${SESSION_COOKIE}=${session.token}` };
}

/**
 * A person who joins through OrgService, as through the admin console: the lifecycle listeners of
 * other modules fire (the ledger opens the wallet) and the audit log records it. Use `newPerson`
 * when a bare row is enough.
 */
export async function joinPerson(
  t: TestApp,
  values: { name?: string; employeeNo?: string; departmentId?: number; kind?: PersonKind; roles?: Role[] } = {},
) {
  const hospital = await newHospital(t.database.db);
  const departmentId = values.departmentId ?? (await newDepartment(t.database.db)).id;
  const actor = { personId: null, requestId: 'test', ip: '' };
  const person = await t.services.org.createPerson(
    hospital.id,
    {
      employeeNo: values.employeeNo ?? `E${unique()}`,
      name: values.name ?? '张三',
      departmentId,
      kind: values.kind ?? 'staff',
    },
    actor,
  );
  if (values.roles?.length) await t.services.org.assignRoles(hospital.id, person.id, values.roles, actor);
  return t.services.org.getPerson(hospital.id, person.id);
}
