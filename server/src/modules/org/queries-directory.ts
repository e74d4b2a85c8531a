// The org directory's SQL (directory.ts): the lookups other modules make of people, roles and hospitals.
// Beside queries.ts because it is its own capability, read by one service; the same rules apply (it
// takes Db<OrgTables>, and scripts/sql-snapshots.ts writes it to queries-directory.sql).
import type { Db as ModuleDb } from '../../db/database.ts';
import type { OrgTables, PersonKind, PersonStatus } from './tables.ts';

type Db = ModuleDb<OrgTables>;

export interface PersonBriefRow {
  id: number;
  hospitalId: number;
  employeeNo: string;
  name: string;
  kind: PersonKind;
  status: PersonStatus;
  departmentId: number | null;
}

export function findPeopleBriefs(db: Db, personIds: number[]): Promise<PersonBriefRow[]> {
  return db
    .selectFrom('people')
    .select(['id', 'hospitalId', 'employeeNo', 'name', 'kind', 'status', 'departmentId'])
    .where('id', 'in', personIds)
    .execute();
}

export function findBriefsByEmployeeNo(db: Db, hospitalId: number, employeeNos: string[]) {
  return db
    .selectFrom('people')
    .select(['id', 'hospitalId', 'employeeNo', 'name', 'kind', 'status', 'departmentId'])
    .where('hospitalId', '=', hospitalId)
    .where('employeeNo', 'in', employeeNos)
    .execute();
}

export function findBriefByEmployeeNoAnywhere(db: Db, employeeNo: string) {
  return db
    .selectFrom('people')
    .select(['id', 'hospitalId', 'employeeNo', 'name', 'kind', 'status', 'departmentId'])
    .where('employeeNo', '=', employeeNo)
    .orderBy('id')
    .executeTakeFirst();
}

export function hospitals(db: Db) {
  return db.selectFrom('hospitals').select(['id', 'code', 'name']).orderBy('id').execute();
}

/** Active people who hold any of these roles. */
export async function activeHoldersOf(db: Db, roles: string[]): Promise<number[]> {
  const rows = await db
    .selectFrom('personRoles as r')
    .innerJoin('people as p', 'p.id', 'r.personId')
    .select('r.personId')
    .distinct()
    .where('r.roleCode', 'in', roles)
    .where('p.status', '=', 'active')
    .orderBy('r.personId')
    .execute();
  return rows.map((r) => r.personId);
}

/** Who a signed-in person is: name, status, hospital and roles, in one read (every request needs it). */
export function findIdentity(db: Db, personId: number) {
  return db
    .selectFrom('people as p')
    .select(['p.id', 'p.name', 'p.employeeNo', 'p.status', 'p.hospitalId'])
    .select((eb) =>
      eb
        .selectFrom('personRoles as r')
        .whereRef('r.personId', '=', 'p.id')
        .select((e) =>
          e.fn.coalesce(e.fn.agg<string[]>('array_agg', ['r.roleCode']), e.val([] as string[])).as('roles'),
        )
        .as('roles'),
    )
    .where('p.id', '=', personId)
    .executeTakeFirst();
}
