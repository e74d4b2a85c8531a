import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import type { AuthService } from '../platform/auth/service.ts';
import type { Clock } from '../platform/clock.ts';

export const DEMO_PASSWORD = 'canteen123';

export interface SeedOptions {
  seed: number;
  auth: AuthService;
  clock: Clock;
}

export interface SeedResult {
  campuses: number;
  departments: number;
  people: number;
}

export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('hospitals').select('id').limit(1).executeTakeFirst());
}

/** Minimal demo: replaced by the generated hospital of the org module. */
export async function seedDemoHospital(db: Kysely<DB>, options: SeedOptions): Promise<SeedResult> {
  const hospital = await db
    .insertInto('hospitals')
    .values({ code: 'GDWCH', name: '广东省妇幼保健院' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campus = await db
    .insertInto('campuses')
    .values({ hospitalId: hospital.id, code: 'YX', name: '越秀院区' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const dept = await db
    .insertInto('departments')
    .values({ hospitalId: hospital.id, campusId: campus.id, code: 'XXK', name: '信息科', kind: 'administrative' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = await db
    .insertInto('people')
    .values({ hospitalId: hospital.id, employeeNo: 'A0001', name: '管理员', departmentId: dept.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('personRoles').values({ personId: person.id, roleCode: 'admin', grantedBy: null }).execute();
  await options.auth.setPassword(person.id, 'admin', DEMO_PASSWORD);
  return { campuses: 1, departments: 1, people: 1 };
}
