// All SQL of the organisation module: hospitals, campuses, departments, people and role grants.
// Each function takes the database or a transaction; the service decides the boundary.
import { sql, type ExpressionBuilder, type Insertable, type Updateable } from 'kysely';
import type { Db as ModuleDb } from '../../db/database.ts';
import type { AuditTables } from '../../platform/audit.ts';
import type { CampusesTable, DepartmentsTable, OrgTables, PeopleTable, PersonKind, PersonStatus } from './tables.ts';

/** The org module's tables, and the audit log it shows as each person's history. */
type OrgDb = OrgTables & AuditTables;
type Db = ModuleDb<OrgDb>;

// —— hospitals ——

export function insertHospital(db: Db, values: { code: string; name: string; timeZone?: string }) {
  return db.insertInto('hospitals').values(values).returning(['id', 'code', 'name']).executeTakeFirstOrThrow();
}

export function findHospital(db: Db, hospitalId: number) {
  return db
    .selectFrom('hospitals')
    .select(['id', 'code', 'name', 'timeZone'])
    .where('id', '=', hospitalId)
    .executeTakeFirst();
}

/**
 * Takes the hospital's row lock: changes to the department tree queue behind each other, so two
 * moves at once cannot each pass the cycle check and together make a loop.
 */
export function lockHospital(db: Db, hospitalId: number) {
  return db.selectFrom('hospitals').select('id').where('id', '=', hospitalId).forUpdate().executeTakeFirst();
}

// —— campuses ——

function campusColumns(eb: ExpressionBuilder<OrgDb, 'campuses'>) {
  return [
    'campuses.id',
    'campuses.code',
    'campuses.name',
    'campuses.address',
    eb
      .selectFrom('departments as d')
      .whereRef('d.campusId', '=', 'campuses.id')
      .select((e) => e.fn.countAll<number>().as('n'))
      .as('departmentCount'),
    eb
      .selectFrom('people as p')
      .innerJoin('departments as d', 'd.id', 'p.departmentId')
      .whereRef('d.campusId', '=', 'campuses.id')
      .where('p.status', '=', 'active')
      .select((e) => e.fn.countAll<number>().as('n'))
      .as('peopleCount'),
  ] as const;
}

export function listCampuses(db: Db, hospitalId: number) {
  return db
    .selectFrom('campuses')
    .select((eb) => campusColumns(eb))
    .where('campuses.hospitalId', '=', hospitalId)
    .orderBy('campuses.id')
    .execute();
}

export function findCampus(db: Db, hospitalId: number, campusId: number) {
  return db
    .selectFrom('campuses')
    .select((eb) => campusColumns(eb))
    .where('campuses.hospitalId', '=', hospitalId)
    .where('campuses.id', '=', campusId)
    .executeTakeFirst();
}

export function findCampusForUpdate(db: Db, hospitalId: number, campusId: number) {
  return db
    .selectFrom('campuses')
    .select(['id', 'code', 'name', 'address'])
    .where('hospitalId', '=', hospitalId)
    .where('id', '=', campusId)
    .forUpdate()
    .executeTakeFirst();
}

export function campusCodeTaken(db: Db, hospitalId: number, code: string, exceptId?: number) {
  return db
    .selectFrom('campuses')
    .select('id')
    .where('hospitalId', '=', hospitalId)
    .where('code', '=', code)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId ?? 0))
    .executeTakeFirst();
}

export function insertCampus(db: Db, values: Insertable<CampusesTable>) {
  return db.insertInto('campuses').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateCampus(db: Db, campusId: number, changes: Updateable<CampusesTable>) {
  return db.updateTable('campuses').set(changes).where('id', '=', campusId).execute();
}

// —— departments ——

const DEPARTMENT_FIELDS = [
  'departments.id',
  'departments.campusId',
  'departments.parentId',
  'departments.code',
  'departments.name',
  'departments.kind',
  'departments.building',
  'departments.floor',
  'departments.sortOrder',
  'departments.wecomId',
] as const;

export function listDepartments(db: Db, hospitalId: number, campusId?: number) {
  return db
    .selectFrom('departments')
    .select(DEPARTMENT_FIELDS)
    .select((eb) =>
      eb
        .selectFrom('people as p')
        .whereRef('p.departmentId', '=', 'departments.id')
        .where('p.status', '=', 'active')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('peopleCount'),
    )
    .where('departments.hospitalId', '=', hospitalId)
    .$if(campusId !== undefined, (qb) => qb.where('departments.campusId', '=', campusId ?? 0))
    .orderBy('departments.campusId')
    .orderBy('departments.sortOrder')
    .orderBy(sql`departments.code COLLATE "C"`)
    .orderBy('departments.id')
    .execute();
}

/** The shape of the whole tree, for cycle checks and subtree filters (a hospital has hundreds, not millions). */
export function departmentTree(db: Db, hospitalId: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'parentId', 'campusId'])
    .where('hospitalId', '=', hospitalId)
    .execute();
}

export function findDepartment(db: Db, hospitalId: number, departmentId: number) {
  return db
    .selectFrom('departments')
    .select(DEPARTMENT_FIELDS)
    .where('departments.hospitalId', '=', hospitalId)
    .where('departments.id', '=', departmentId)
    .executeTakeFirst();
}

export function findDepartments(db: Db, hospitalId: number, departmentIds: number[]) {
  if (departmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('departments')
    .select(['id', 'campusId'])
    .where('hospitalId', '=', hospitalId)
    .where('id', 'in', departmentIds)
    .execute();
}

export function departmentCodeTaken(db: Db, hospitalId: number, code: string, exceptId?: number) {
  return db
    .selectFrom('departments')
    .select('id')
    .where('hospitalId', '=', hospitalId)
    .where('code', '=', code)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId ?? 0))
    .executeTakeFirst();
}

export function insertDepartment(db: Db, values: Insertable<DepartmentsTable>) {
  return db.insertInto('departments').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateDepartment(db: Db, departmentId: number, changes: Updateable<DepartmentsTable>) {
  return db.updateTable('departments').set(changes).where('id', '=', departmentId).execute();
}

// —— people ——

export interface PeopleFilters {
  q?: string | undefined;
  /** `q` as pinyin ('wangxiao', 'wxy'), when it can be read as pinyin. */
  pinyin?: string | undefined;
  campusId?: number | undefined;
  /** Already expanded to the department and its subtree. */
  departmentIds?: number[] | undefined;
  kind?: PersonKind | undefined;
  status?: PersonStatus | undefined;
  role?: string | undefined;
}

/** LIKE treats % and _ as wildcards: a search for "10_1" means those characters. */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

// The roles a person holds, sorted, as one array column of a people query aliased `p`.
const ROLES_OF_P = sql<
  string[]
>`coalesce((SELECT array_agg(r.role_code ORDER BY r.role_code) FROM person_roles r WHERE r.person_id = p.id), '{}')`;

/**
 * People with their department and campus, narrowed by the filters. The search matches a name containing
 * the text, an employee number starting with it (any case), and, read as pinyin, a spelling containing it
 * (xiaoyan, wangxiaoyan) or initials starting with it (wxy). LIKE, not ILIKE, on the name: Chinese has no
 * case, a Latin name is found case-insensitively through its (lower-case) pinyin, and ILIKE made the
 * whole search five times slower (docs/performance.md). At hospital sizes (thousands) a scan of the
 * hospital's people takes a few milliseconds; no index serves a substring better (measured: a trigram
 * index was never chosen).
 */
function filteredPeople(db: Db, hospitalId: number, f: PeopleFilters) {
  const q = f.q?.trim();
  const pinyin = f.pinyin;
  return db
    .selectFrom('people as p')
    .leftJoin('departments as d', 'd.id', 'p.departmentId')
    .leftJoin('campuses as c', 'c.id', 'd.campusId')
    .where('p.hospitalId', '=', hospitalId)
    .$if(!!q, (b) =>
      b.where((eb) =>
        eb.or([
          eb('p.name', 'like', `%${likeEscape(q ?? '')}%`),
          eb(eb.fn<string>('lower', ['p.employeeNo']), 'like', `${likeEscape((q ?? '').toLowerCase())}%`),
          ...(pinyin
            ? [
                eb(sql<string>`replace(p.name_pinyin, ' ', '')`, 'like', `%${pinyin}%`),
                eb('p.nameInitials', 'like', `${pinyin}%`),
              ]
            : []),
        ]),
      ),
    )
    .$if(f.campusId !== undefined, (b) => b.where('d.campusId', '=', f.campusId ?? 0))
    .$if(f.departmentIds !== undefined, (b) =>
      b.where('p.departmentId', 'in', f.departmentIds?.length ? f.departmentIds : [0]),
    )
    .$if(f.kind !== undefined, (b) => b.where('p.kind', '=', f.kind ?? 'staff'))
    .$if(f.status !== undefined, (b) => b.where('p.status', '=', f.status ?? 'active'))
    .$if(f.role !== undefined, (b) =>
      b.where((eb) =>
        eb.exists(
          eb
            .selectFrom('personRoles as r')
            .select('r.personId')
            .whereRef('r.personId', '=', 'p.id')
            .where('r.roleCode', '=', f.role ?? ''),
        ),
      ),
    );
}

export async function listPeople(
  db: Db,
  hospitalId: number,
  filters: PeopleFilters,
  page: { offset: number; limit: number; sort: 'employeeNo' | 'name' },
) {
  const items = await filteredPeople(db, hospitalId, filters)
    .select([
      'p.id',
      'p.employeeNo',
      'p.name',
      'p.phone',
      'p.kind',
      'p.status',
      'p.departmentId',
      'd.name as departmentName',
      'd.campusId',
      'c.name as campusName',
      'p.joinedOn',
      'p.leftOn',
    ])
    .select(ROLES_OF_P.as('roles'))
    // A picker's Enter takes the first match: the person whose employee number was typed in full comes first.
    .$if(!!filters.q?.trim(), (qb) => qb.orderBy(sql`lower(p.employee_no) <> lower(${filters.q?.trim() ?? ''})`))
    // "C" collation: the same order on PGlite and on any PostgreSQL server, whatever its locale. By name
    // means by pinyin (the column is "C" already), as Chinese users expect: 艾 before 白 before 王.
    .$if(page.sort === 'name', (qb) => qb.orderBy('p.namePinyin').orderBy(sql`p.name COLLATE "C"`))
    .orderBy(sql`p.employee_no COLLATE "C"`)
    .orderBy('p.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const { total } = await filteredPeople(db, hospitalId, filters)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return { items, total: Number(total) };
}

export function findPersonDetail(db: Db, hospitalId: number, personId: number) {
  return filteredPeople(db, hospitalId, {})
    .select([
      'p.id',
      'p.employeeNo',
      'p.name',
      'p.phone',
      'p.kind',
      'p.status',
      'p.wecomUserId',
      'p.joinedOn',
      'p.leftOn',
      'p.createdAt',
      'p.updatedAt',
      'd.id as departmentId',
      'd.code as departmentCode',
      'd.name as departmentName',
      'd.building',
      'd.floor',
      'c.id as campusId',
      'c.name as campusName',
    ])
    .select(ROLES_OF_P.as('roles'))
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** The active person of the hospital holding exactly this employee number, with their department. */
export function findActiveByEmployeeNo(db: Db, hospitalId: number, employeeNo: string) {
  return db
    .selectFrom('people as p')
    .leftJoin('departments as d', 'd.id', 'p.departmentId')
    .select(['p.id', 'p.name', 'd.name as departmentName'])
    .where('p.hospitalId', '=', hospitalId)
    .where('p.employeeNo', '=', employeeNo)
    .where('p.status', '=', 'active')
    .executeTakeFirst();
}

export const PERSON_FIELDS = [
  'id',
  'hospitalId',
  'employeeNo',
  'name',
  'phone',
  'departmentId',
  'kind',
  'status',
  'wecomUserId',
  'joinedOn',
  'leftOn',
] as const;

export function findPersonForUpdate(db: Db, hospitalId: number, personId: number) {
  return db
    .selectFrom('people')
    .select(PERSON_FIELDS)
    .where('hospitalId', '=', hospitalId)
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
}

export function takenEmployeeNos(db: Db, hospitalId: number, employeeNos: string[], exceptId?: number) {
  if (employeeNos.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .select('employeeNo')
    .where('hospitalId', '=', hospitalId)
    .where('employeeNo', 'in', employeeNos)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId ?? 0))
    .execute();
}

export function insertPeople(db: Db, rows: Insertable<PeopleTable>[]) {
  return db.insertInto('people').values(rows).returning(PERSON_FIELDS).execute();
}

export function updatePerson(db: Db, personId: number, changes: Updateable<PeopleTable>) {
  return db
    .updateTable('people')
    .set(changes)
    .where('id', '=', personId)
    .returning(PERSON_FIELDS)
    .executeTakeFirstOrThrow();
}

/** People whose name is not spelled in pinyin yet, by id, after `afterId`. */
export function peopleWithoutPinyin(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('namePinyin', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Writes spellings, skipping a person whose name is no longer the one spelled. Returns how many. */
export async function setPeoplePinyin(
  db: Db,
  rows: { id: number; name: string; namePinyin: string; nameInitials: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  // Raw SQL sees no camelCase mapping: the JSON's keys are the columns' own names.
  const json = JSON.stringify(
    rows.map((r) => ({ id: r.id, name: r.name, name_pinyin: r.namePinyin, name_initials: r.nameInitials })),
  );
  const result = await sql`
    UPDATE people AS p SET name_pinyin = s.name_pinyin, name_initials = s.name_initials
    FROM jsonb_to_recordset(${json}::jsonb)
      AS s(id bigint, name text, name_pinyin text, name_initials text)
    WHERE p.id = s.id AND p.name = s.name AND p.name_pinyin IS NULL`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Active people among `personIds`, locked until the transaction ends. */
export function lockActivePeople(db: Db, hospitalId: number, personIds: number[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .select(PERSON_FIELDS)
    .where('hospitalId', '=', hospitalId)
    .where('id', 'in', personIds)
    .where('status', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function markPeopleLeft(db: Db, personIds: number[], leftOn: string, at: Date) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .updateTable('people')
    .set({ status: 'left', leftOn, updatedAt: at })
    .where('id', 'in', personIds)
    .returning(PERSON_FIELDS)
    .execute();
}

// —— role grants ——

export async function rolesOf(db: Db, personId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('personRoles')
    .select('roleCode')
    .where('personId', '=', personId)
    .orderBy('roleCode')
    .execute();
  return rows.map((r) => r.roleCode);
}

export function insertRoleGrants(db: Db, grants: { personId: number; roleCode: string; grantedBy: number | null }[]) {
  if (grants.length === 0) return Promise.resolve([]);
  return db
    .insertInto('personRoles')
    .values(grants)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function revokeRoles(db: Db, personId: number, roleCodes: string[]) {
  if (roleCodes.length === 0) return Promise.resolve([]);
  return db.deleteFrom('personRoles').where('personId', '=', personId).where('roleCode', 'in', roleCodes).execute();
}

export function roleHolderCounts(db: Db, hospitalId: number) {
  return db
    .selectFrom('roles')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('personRoles as r')
          .innerJoin('people as p', 'p.id', 'r.personId')
          .where('p.hospitalId', '=', hospitalId)
          .where('p.status', '=', 'active')
          .select(['r.roleCode', (e) => e.fn.countAll<number>().as('holders')])
          .groupBy('r.roleCode')
          .as('h'),
      (join) => join.onRef('h.roleCode', '=', 'roles.code'),
    )
    .select(['roles.code', (eb) => eb.fn.coalesce('h.holders', eb.lit(0)).as('holders')])
    .orderBy('roles.sortOrder')
    .execute();
}

/** Active people other than `exceptPersonId` who hold `role`: guards against removing the last admin. */
export async function countOtherActiveHolders(db: Db, hospitalId: number, role: string, exceptPersonId: number) {
  const row = await db
    .selectFrom('personRoles as r')
    .innerJoin('people as p', 'p.id', 'r.personId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.hospitalId', '=', hospitalId)
    .where('p.status', '=', 'active')
    .where('r.roleCode', '=', role)
    .where('r.personId', '<>', exceptPersonId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// —— audit history (platform/audit writes it; the person page reads it here) ——

export interface AuditRow {
  actorId: number | null;
  apiTokenId: number | null;
  action: string;
  entity: string;
  entityId: string;
  before: string | null;
  after: string | null;
  requestId: string;
  ip: string;
}

/** Many audit rows in one statement, for bulk paths (Excel import, WeCom sync, the demo seed). */
export function insertAuditRows(db: Db, rows: AuditRow[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('auditLog').values(rows).execute();
}

export async function listAudit(
  db: Db,
  filters: { entity?: string | undefined; entityId?: string | undefined; actorId?: number | undefined },
  page: { offset: number; limit: number },
) {
  const base = db
    .selectFrom('auditLog as a')
    .$if(filters.entity !== undefined, (qb) => qb.where('a.entity', '=', filters.entity ?? ''))
    .$if(filters.entityId !== undefined, (qb) => qb.where('a.entityId', '=', filters.entityId ?? ''))
    .$if(filters.actorId !== undefined, (qb) => qb.where('a.actorId', '=', filters.actorId ?? 0));
  const items = await base
    .leftJoin('people as p', 'p.id', 'a.actorId')
    .select([
      'a.id',
      'a.at',
      'a.actorId',
      'p.name as actorName',
      'a.apiTokenId',
      'a.action',
      'a.entity',
      'a.entityId',
      'a.before',
      'a.after',
      'a.requestId',
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return { items, total: Number(total) };
}

/** People holding these employee numbers, for the import's "already exists" and "taken" checks. */
export function findPeopleByEmployeeNos(db: Db, hospitalId: number, employeeNos: string[]) {
  if (employeeNos.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .select(['id', 'employeeNo', 'name'])
    .where('hospitalId', '=', hospitalId)
    .where('employeeNo', 'in', employeeNos)
    .execute();
}
