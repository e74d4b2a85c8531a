// The organisation model: campuses (院区), departments (科室/病区) as a tree, people and their roles.
// Every change runs in one transaction with its audit record and, for people who join or leave,
// with the lifecycle listeners of other modules (the ledger opens or freezes the wallet there).
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import { ROLES, isRole, permissionsOf, type Role } from '../../platform/auth/permissions.ts';
import { localDay, type Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { maskName } from './mask.ts';
import * as q from './queries.ts';
import type {
  AuditFilters,
  AuditPage,
  Campus,
  CampusChanges,
  Department,
  DepartmentChanges,
  NewCampus,
  NewDepartment,
  NewPerson,
  PersonChanges,
  PersonDetail,
  PersonListFilters,
  PersonPage,
  Payee,
  PersonRoles,
  Profile,
  RoleSummary,
} from './schema.ts';
import type { OrgTables, PersonKind, PersonStatus } from './tables.ts';

/** The org module's tables, and the audit log it writes and shows. */
type OrgDb = OrgTables & AuditTables;

/** One person for the bulk path (Excel import, WeCom sync, the demo seed). */
export interface PersonRow {
  employeeNo: string;
  name: string;
  phone?: string;
  departmentId: number | null;
  kind?: PersonKind;
  status?: PersonStatus;
  wecomUserId?: string | null;
  joinedOn?: string | null;
  /** Only for status 'left'; defaults to today in the hospital's zone. */
  leftOn?: string | null;
  roles?: Role[];
}

type PersonRecord = NonNullable<Awaited<ReturnType<typeof q.findPersonForUpdate>>>;

const BULK_CHUNK = 1000;

/**
 * A calendar day as 'YYYY-MM-DD'. The database layer promises text, but PGlite opened in memory
 * ignores the custom type parsers and hands back a Date at UTC midnight; this keeps both the same.
 */
function asDay(value: string | Date | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

// What the audit log keeps of a person: the fields an operator edits, not timestamps.
const personSnapshot = (p: PersonRecord) => ({
  employeeNo: p.employeeNo,
  name: p.name,
  phone: p.phone,
  departmentId: p.departmentId,
  kind: p.kind,
  status: p.status,
  joinedOn: asDay(p.joinedOn),
  leftOn: asDay(p.leftOn),
});

const personRef = (p: { id: number; hospitalId: number; employeeNo: string }): PersonRef => ({
  id: p.id,
  hospitalId: p.hospitalId,
  employeeNo: p.employeeNo,
});

/** The Postgres constraint a unique violation names, or undefined for any other error. */
function violatedUnique(error: unknown): string | undefined {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e && e.code === '23505' ? String(e.constraint ?? '') : undefined;
}

/**
 * For `.catch()`: a unique violation on a constraint naming `column` becomes `refusal`. The checks
 * before each write give the clear answer; this covers two requests racing past them together.
 */
const unlessUnique =
  (column: string, refusal: AppError) =>
  (error: unknown): never => {
    if (violatedUnique(error)?.includes(column)) throw refusal;
    throw error;
  };

const employeeNoTaken = (employeeNos: string[]): AppError =>
  conflict('EMPLOYEE_NO_TAKEN', `Employee number ${employeeNos.join(', ')} is already taken`, { employeeNos });

const unknownDepartment = (id: number): AppError =>
  invalid('UNKNOWN_DEPARTMENT', `Department ${id} does not exist`, [
    { path: '/body/departmentId', message: 'no such department' },
  ]);

export class OrgService {
  private readonly listeners: PersonLifecycleListener[];

  constructor(
    private readonly db: Kysely<OrgDb>,
    private readonly clock: Clock,
    listeners: PersonLifecycleListener[] = [],
  ) {
    this.listeners = [...listeners];
  }

  /** Other modules (the ledger) register here to hear, inside the transaction, who joined and who left. */
  addLifecycleListener(listener: PersonLifecycleListener): void {
    this.listeners.push(listener);
  }

  private inTransaction<T>(trx: Tx | undefined, work: (trx: Tx) => Promise<T>): Promise<T> {
    return trx ? work(trx) : this.db.transaction().execute(work);
  }

  private async today(trx: Tx | Kysely<OrgDb>, hospitalId: number): Promise<string> {
    const hospital = await q.findHospital(trx, hospitalId);
    return localDay(this.clock.now(), hospital?.timeZone ?? 'Asia/Shanghai');
  }

  // —— hospital ——

  /** A new hospital (installation set-up and the demo seed); not exposed over HTTP. */
  async createHospital(trx: Tx, values: { code: string; name: string; timeZone?: string }) {
    return q.insertHospital(trx, values);
  }

  // —— campuses ——

  async listCampuses(hospitalId: number): Promise<Campus[]> {
    return (await q.listCampuses(this.db, hospitalId)).map(toCampus);
  }

  async createCampus(hospitalId: number, input: NewCampus, actor: Actor, trx?: Tx): Promise<Campus> {
    return this.inTransaction(trx, async (trx) => {
      const values = { code: input.code.trim(), name: input.name.trim(), address: input.address?.trim() ?? '' };
      if (await q.campusCodeTaken(trx, hospitalId, values.code)) throw campusCodeTaken(values.code);
      const { id } = await q
        .insertCampus(trx, { hospitalId, ...values })
        .catch(unlessUnique('code', campusCodeTaken(values.code)));
      await recordAudit(trx, actor, { action: 'campus.create', entity: 'campus', entityId: id, after: values });
      return this.campusOrThrow(trx, hospitalId, id);
    });
  }

  async updateCampus(hospitalId: number, campusId: number, changes: CampusChanges, actor: Actor): Promise<Campus> {
    return this.db.transaction().execute(async (trx) => {
      const before = await q.findCampusForUpdate(trx, hospitalId, campusId);
      if (!before) throw notFound('campus', campusId);
      const after = {
        code: changes.code?.trim() ?? before.code,
        name: changes.name?.trim() ?? before.name,
        address: changes.address?.trim() ?? before.address,
      };
      if (after.code !== before.code && (await q.campusCodeTaken(trx, hospitalId, after.code, campusId))) {
        throw campusCodeTaken(after.code);
      }
      await q
        .updateCampus(trx, campusId, { ...after, updatedAt: this.clock.now() })
        .catch(unlessUnique('code', campusCodeTaken(after.code)));
      await recordAudit(trx, actor, {
        action: 'campus.update',
        entity: 'campus',
        entityId: campusId,
        before: { code: before.code, name: before.name, address: before.address },
        after,
      });
      return this.campusOrThrow(trx, hospitalId, campusId);
    });
  }

  private async campusOrThrow(db: Tx, hospitalId: number, campusId: number): Promise<Campus> {
    const campus = await q.findCampus(db, hospitalId, campusId);
    if (!campus) throw notFound('campus', campusId);
    return toCampus(campus);
  }

  // —— departments ——

  async listDepartments(hospitalId: number, campusId?: number): Promise<Department[]> {
    return inTreeOrder((await q.listDepartments(this.db, hospitalId, campusId)).map(toDepartment));
  }

  /** The department and every department below it, for "people in 妇产科" including its wards. */
  async departmentSubtree(hospitalId: number, departmentId: number, db: Tx | Kysely<OrgDb> = this.db) {
    const tree = await q.departmentTree(db, hospitalId);
    const children = new Map<number, number[]>();
    for (const d of tree) {
      if (d.parentId === null) continue;
      children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
    }
    if (!tree.some((d) => d.id === departmentId)) return [];
    const ids: number[] = [];
    const stack = [departmentId];
    while (stack.length) {
      const id = stack.pop() as number;
      ids.push(id);
      stack.push(...(children.get(id) ?? []));
    }
    return ids;
  }

  async createDepartment(hospitalId: number, input: NewDepartment, actor: Actor, trx?: Tx): Promise<Department> {
    return this.inTransaction(trx, async (trx) => {
      const campus = await q.findCampus(trx, hospitalId, input.campusId);
      if (!campus) {
        throw invalid('UNKNOWN_CAMPUS', `Campus ${input.campusId} does not exist`, [
          { path: '/body/campusId', message: 'no such campus' },
        ]);
      }
      const parentId = input.parentId ?? null;
      if (parentId !== null) {
        const parent = await q.findDepartment(trx, hospitalId, parentId);
        if (!parent) throw unknownParent(parentId);
        if (parent.campusId !== campus.id) throw campusMismatch(parent.campusId, campus.id);
      }
      const values = {
        campusId: campus.id,
        parentId,
        code: input.code.trim(),
        name: input.name.trim(),
        kind: input.kind ?? 'clinical',
        building: input.building?.trim() ?? '',
        floor: input.floor?.trim() ?? '',
        sortOrder: input.sortOrder ?? 0,
      };
      if (await q.departmentCodeTaken(trx, hospitalId, values.code)) throw departmentCodeTaken(values.code);
      const { id } = await q
        .insertDepartment(trx, { hospitalId, ...values })
        .catch(unlessUnique('code', departmentCodeTaken(values.code)));
      await recordAudit(trx, actor, { action: 'department.create', entity: 'department', entityId: id, after: values });
      return this.departmentOrThrow(trx, hospitalId, id);
    });
  }

  /** An edit; a new parentId moves the department with everything below it. */
  async updateDepartment(
    hospitalId: number,
    departmentId: number,
    changes: DepartmentChanges,
    actor: Actor,
  ): Promise<Department> {
    return this.db.transaction().execute(async (trx) => {
      await q.lockHospital(trx, hospitalId);
      const before = await q.findDepartment(trx, hospitalId, departmentId);
      if (!before) throw notFound('department', departmentId);
      const after = {
        parentId: changes.parentId === undefined ? before.parentId : changes.parentId,
        code: changes.code?.trim() ?? before.code,
        name: changes.name?.trim() ?? before.name,
        kind: changes.kind ?? before.kind,
        building: changes.building?.trim() ?? before.building,
        floor: changes.floor?.trim() ?? before.floor,
        sortOrder: changes.sortOrder ?? before.sortOrder,
      };
      if (after.parentId !== before.parentId && after.parentId !== null) {
        await this.checkMove(trx, hospitalId, before, after.parentId);
      }
      if (after.code !== before.code && (await q.departmentCodeTaken(trx, hospitalId, after.code, departmentId))) {
        throw departmentCodeTaken(after.code);
      }
      await q
        .updateDepartment(trx, departmentId, { ...after, updatedAt: this.clock.now() })
        .catch(unlessUnique('code', departmentCodeTaken(after.code)));
      const { id: _id, campusId: _campusId, wecomId: _wecomId, ...beforeFields } = before;
      await recordAudit(trx, actor, {
        action: after.parentId !== before.parentId ? 'department.move' : 'department.update',
        entity: 'department',
        entityId: departmentId,
        before: beforeFields,
        after,
      });
      return this.departmentOrThrow(trx, hospitalId, departmentId);
    });
  }

  /** A department may not go under itself or anything below it, nor under a department of another campus. */
  private async checkMove(
    trx: Tx,
    hospitalId: number,
    department: { id: number; campusId: number },
    newParentId: number,
  ): Promise<void> {
    const tree = await q.departmentTree(trx, hospitalId);
    const byId = new Map(tree.map((d) => [d.id, d]));
    const parent = byId.get(newParentId);
    if (!parent) throw unknownParent(newParentId);
    // Walk up from the new parent: meeting the department itself means the move closes a loop.
    const seen = new Set<number>();
    for (let at: number | null = newParentId; at !== null; at = byId.get(at)?.parentId ?? null) {
      if (at === department.id) {
        throw invalid('DEPARTMENT_CYCLE', 'A department cannot be moved under itself or under a department below it', [
          { path: '/body/parentId', message: 'is the department itself or below it' },
        ]);
      }
      if (seen.has(at)) break;
      seen.add(at);
    }
    if (parent.campusId !== department.campusId) throw campusMismatch(parent.campusId, department.campusId);
  }

  private async departmentOrThrow(db: Tx, hospitalId: number, departmentId: number) {
    const department = await q.findDepartment(db, hospitalId, departmentId);
    if (!department) throw notFound('department', departmentId);
    const [row] = (await q.listDepartments(db, hospitalId, department.campusId)).filter((d) => d.id === departmentId);
    return toDepartment(row ?? { ...department, peopleCount: 0 });
  }

  // —— people ——

  async listPeople(hospitalId: number, filters: PersonListFilters): Promise<PersonPage> {
    const departmentIds =
      filters.departmentId === undefined ? undefined : await this.departmentSubtree(hospitalId, filters.departmentId);
    const { page, pageSize } = filters;
    const { items, total } = await q.listPeople(
      this.db,
      hospitalId,
      {
        q: filters.q,
        campusId: filters.campusId,
        departmentIds,
        kind: filters.kind,
        status: filters.status,
        role: filters.role,
      },
      { offset: (page - 1) * pageSize, limit: pageSize, sort: filters.sort ?? 'employeeNo' },
    );
    return {
      items: items.map((p) => ({ ...p, joinedOn: asDay(p.joinedOn), leftOn: asDay(p.leftOn) })),
      total,
      page,
      pageSize,
    };
  }

  async getPerson(hospitalId: number, personId: number, db: Tx | Kysely<OrgDb> = this.db) {
    const row = await q.findPersonDetail(db, hospitalId, personId);
    if (!row) throw notFound('person', personId);
    return toPersonDetail(row);
  }

  /** One person through the admin console. Campus, when given, must be the department's campus. */
  async createPerson(hospitalId: number, input: NewPerson, actor: Actor): Promise<PersonDetail> {
    return this.db.transaction().execute(async (trx) => {
      if (input.campusId !== undefined) {
        await this.checkDepartmentInCampus(trx, hospitalId, input.departmentId, input.campusId);
      }
      const [ref] = await this.addPeople(
        trx,
        hospitalId,
        [
          {
            employeeNo: input.employeeNo,
            name: input.name,
            phone: input.phone ?? '',
            departmentId: input.departmentId,
            kind: input.kind ?? 'staff',
            joinedOn: input.joinedOn ?? null,
          },
        ],
        actor,
      );
      return this.getPerson(hospitalId, (ref as PersonRef).id, trx);
    });
  }

  /**
   * The bulk path: many people in a few statements, each audited, and the lifecycle listeners
   * told once about every active one. Runs inside the caller's transaction, so an import is all or
   * nothing. Refuses the whole batch if an employee number repeats or a department is unknown.
   */
  async addPeople(trx: Tx, hospitalId: number, rows: PersonRow[], actor: Actor): Promise<PersonRef[]> {
    if (rows.length === 0) return [];
    const employeeNos = rows.map((r) => r.employeeNo.trim());
    const repeated = [...new Set(employeeNos.filter((no, i) => employeeNos.indexOf(no) !== i))];
    if (repeated.length) throw employeeNoTaken(repeated);
    const departmentIds = [...new Set(rows.flatMap((r) => (r.departmentId === null ? [] : [r.departmentId])))];
    const known = new Set((await q.findDepartments(trx, hospitalId, departmentIds)).map((d) => d.id));
    const missing = departmentIds.find((id) => !known.has(id));
    if (missing !== undefined) throw unknownDepartment(missing);
    for (const role of rows.flatMap((r) => r.roles ?? [])) if (!isRole(role)) throw unknownRole(role);
    const today = await this.today(trx, hospitalId);

    const inserted: PersonRecord[] = [];
    for (let start = 0; start < rows.length; start += BULK_CHUNK) {
      const chunk = rows.slice(start, start + BULK_CHUNK);
      const taken = await q.takenEmployeeNos(
        trx,
        hospitalId,
        chunk.map((r) => r.employeeNo.trim()),
      );
      if (taken.length) throw employeeNoTaken(taken.map((t) => t.employeeNo));
      const values = chunk.map((r) => {
        const status = r.status ?? 'active';
        return {
          hospitalId,
          employeeNo: r.employeeNo.trim(),
          name: r.name.trim(),
          phone: r.phone?.trim() ?? '',
          departmentId: r.departmentId,
          kind: r.kind ?? 'staff',
          status,
          wecomUserId: r.wecomUserId ?? null,
          joinedOn: r.joinedOn ?? null,
          leftOn: status === 'left' ? (r.leftOn ?? today) : null,
        };
      });
      try {
        inserted.push(...(await q.insertPeople(trx, values)));
      } catch (error) {
        // Another request took one of the numbers between our check and the insert.
        if (violatedUnique(error)?.includes('employee_no')) throw employeeNoTaken(values.map((v) => v.employeeNo));
        throw error;
      }
    }
    const grants = inserted.flatMap((p, i) =>
      [...new Set(rows[i]?.roles ?? [])].map((roleCode) => ({ personId: p.id, roleCode, grantedBy: actor.personId })),
    );
    for (let start = 0; start < grants.length; start += BULK_CHUNK) {
      await q.insertRoleGrants(trx, grants.slice(start, start + BULK_CHUNK));
    }
    const audits = inserted.map((p, i) => ({
      actorId: actor.personId,
      apiTokenId: actor.apiTokenId ?? null,
      action: 'person.create',
      entity: 'person',
      entityId: String(p.id),
      before: null,
      after: JSON.stringify({ ...personSnapshot(p), roles: [...new Set(rows[i]?.roles ?? [])].sort() }),
      requestId: actor.requestId,
      ip: actor.ip,
    }));
    for (let start = 0; start < audits.length; start += BULK_CHUNK) {
      await q.insertAuditRows(trx, audits.slice(start, start + BULK_CHUNK));
    }
    const activated = inserted.filter((p) => p.status === 'active').map(personRef);
    if (activated.length) for (const l of this.listeners) await l.peopleActivated(trx, activated, actor);
    return inserted.map(personRef);
  }

  /**
   * The bulk path for leaving (WeCom sync, an HR list): the active ones among `personIds` leave on
   * `leftOn` (default today), each audited, and the listeners hear once about all of them. People
   * who already left are skipped. Returns those who left now.
   */
  async markPeopleLeft(
    trx: Tx,
    hospitalId: number,
    personIds: number[],
    actor: Actor,
    leftOn?: string,
  ): Promise<PersonRef[]> {
    const before = await q.lockActivePeople(trx, hospitalId, [...new Set(personIds)]);
    if (before.length === 0) return [];
    const day = leftOn ?? (await this.today(trx, hospitalId));
    const after = await q.markPeopleLeft(
      trx,
      before.map((p) => p.id),
      day,
      this.clock.now(),
    );
    const beforeById = new Map(before.map((p) => [p.id, p]));
    const audits = after.map((p) => ({
      actorId: actor.personId,
      apiTokenId: actor.apiTokenId ?? null,
      action: 'person.leave',
      entity: 'person',
      entityId: String(p.id),
      before: JSON.stringify(personSnapshot(beforeById.get(p.id) as PersonRecord)),
      after: JSON.stringify(personSnapshot(p)),
      requestId: actor.requestId,
      ip: actor.ip,
    }));
    for (let start = 0; start < audits.length; start += BULK_CHUNK) {
      await q.insertAuditRows(trx, audits.slice(start, start + BULK_CHUNK));
    }
    const left = after.map(personRef);
    for (const l of this.listeners) await l.peopleLeft(trx, left, actor);
    return left;
  }

  /** An edit, including leaving (status 'left', leftOn) and coming back (status 'active'). */
  async updatePerson(
    hospitalId: number,
    personId: number,
    changes: PersonChanges,
    actor: Actor,
  ): Promise<PersonDetail> {
    return this.db.transaction().execute(async (trx) => {
      const before = await q.findPersonForUpdate(trx, hospitalId, personId);
      if (!before) throw notFound('person', personId);
      const departmentId = changes.departmentId === undefined ? before.departmentId : changes.departmentId;
      if (changes.departmentId !== undefined && departmentId !== null && departmentId !== before.departmentId) {
        if (!(await q.findDepartment(trx, hospitalId, departmentId))) throw unknownDepartment(departmentId);
      }
      if (changes.campusId !== undefined) {
        await this.checkDepartmentInCampus(trx, hospitalId, departmentId, changes.campusId);
      }
      const employeeNo = changes.employeeNo?.trim() ?? before.employeeNo;
      if (
        employeeNo !== before.employeeNo &&
        (await q.takenEmployeeNos(trx, hospitalId, [employeeNo], personId)).length
      ) {
        throw employeeNoTaken([employeeNo]);
      }
      const status = changes.status ?? before.status;
      if (changes.leftOn !== undefined && status !== 'left') {
        throw invalid('LEFT_ON_NEEDS_LEFT', 'A leaving day is only kept for a person who has left', [
          { path: '/body/leftOn', message: 'set status to left as well' },
        ]);
      }
      if (before.status === 'active' && status === 'left') await this.refuseLastAdminLeaving(trx, hospitalId, personId);
      let leftOn = before.leftOn;
      if (status === 'active') leftOn = null;
      else if (changes.leftOn !== undefined) leftOn = changes.leftOn;
      else if (before.status === 'active') leftOn = await this.today(trx, hospitalId);

      let after: PersonRecord;
      try {
        after = await q.updatePerson(trx, personId, {
          employeeNo,
          name: changes.name?.trim() ?? before.name,
          phone: changes.phone?.trim() ?? before.phone,
          departmentId,
          kind: changes.kind ?? before.kind,
          joinedOn: changes.joinedOn === undefined ? before.joinedOn : changes.joinedOn,
          status,
          leftOn,
          updatedAt: this.clock.now(),
        });
      } catch (error) {
        if (violatedUnique(error)?.includes('employee_no')) throw employeeNoTaken([employeeNo]);
        throw error;
      }
      const action =
        before.status === after.status ? 'person.update' : after.status === 'left' ? 'person.leave' : 'person.return';
      await recordAudit(trx, actor, {
        action,
        entity: 'person',
        entityId: personId,
        before: personSnapshot(before),
        after: personSnapshot(after),
      });
      if (before.status === 'active' && after.status === 'left') {
        for (const l of this.listeners) await l.peopleLeft(trx, [personRef(after)], actor);
      } else if (before.status === 'left' && after.status === 'active') {
        for (const l of this.listeners) await l.peopleActivated(trx, [personRef(after)], actor);
      }
      return this.getPerson(hospitalId, personId, trx);
    });
  }

  /** Nobody could manage people or roles any more: someone else must hold admin first. */
  private async refuseLastAdminLeaving(trx: Tx, hospitalId: number, personId: number): Promise<void> {
    if (!(await q.rolesOf(trx, personId)).includes('admin')) return;
    await q.lockHospital(trx, hospitalId);
    if ((await q.countOtherActiveHolders(trx, hospitalId, 'admin', personId)) === 0) {
      throw conflict('LAST_ADMIN', 'This is the last administrator: give the admin role to someone else first');
    }
  }

  private async checkDepartmentInCampus(
    trx: Tx,
    hospitalId: number,
    departmentId: number | null,
    campusId: number,
  ): Promise<void> {
    if (departmentId === null) {
      throw invalid('DEPARTMENT_CAMPUS_MISMATCH', `A person in campus ${campusId} needs a department there`, [
        { path: '/body/departmentId', message: 'required when campusId is given' },
      ]);
    }
    const department = await q.findDepartment(trx, hospitalId, departmentId);
    if (!department) throw unknownDepartment(departmentId);
    if (department.campusId !== campusId) {
      throw invalid(
        'DEPARTMENT_CAMPUS_MISMATCH',
        `Department ${departmentId} belongs to campus ${department.campusId}, not ${campusId}`,
        [{ path: '/body/departmentId', message: 'is in another campus' }],
      );
    }
  }

  // —— roles ——

  async listRoles(hospitalId: number): Promise<RoleSummary[]> {
    const counts = new Map((await q.roleHolderCounts(this.db, hospitalId)).map((r) => [r.code, Number(r.holders)]));
    return ROLES.map((code) => ({ code, permissions: permissionsOf([code]), holders: counts.get(code) ?? 0 }));
  }

  /** Replaces the roles a person holds. Refuses to take the last active admin's admin role away. */
  async assignRoles(hospitalId: number, personId: number, roles: string[], actor: Actor): Promise<PersonRoles> {
    const unknown = roles.find((r) => !isRole(r));
    if (unknown !== undefined) throw unknownRole(unknown);
    const wanted = ROLES.filter((r) => roles.includes(r));
    return this.db.transaction().execute(async (trx) => {
      // Role changes of a hospital queue behind each other, so two requests cannot each remove "the other" admin.
      await q.lockHospital(trx, hospitalId);
      const person = await q.findPersonForUpdate(trx, hospitalId, personId);
      if (!person) throw notFound('person', personId);
      const before = await q.rolesOf(trx, personId);
      const removed = before.filter((r) => !(wanted as string[]).includes(r));
      const added = wanted.filter((r) => !before.includes(r));
      if (removed.includes('admin') && (await q.countOtherActiveHolders(trx, hospitalId, 'admin', personId)) === 0) {
        throw conflict('LAST_ADMIN', 'This is the last administrator: give the admin role to someone else first');
      }
      await q.revokeRoles(trx, personId, removed);
      await q.insertRoleGrants(
        trx,
        added.map((roleCode) => ({ personId, roleCode, grantedBy: actor.personId })),
      );
      const after = await q.rolesOf(trx, personId);
      await recordAudit(trx, actor, {
        action: 'person.roles',
        entity: 'person',
        entityId: personId,
        before: { roles: before },
        after: { roles: after },
      });
      return { personId, roles: after };
    });
  }

  // —— the signed-in person ——

  async profile(hospitalId: number, personId: number): Promise<Profile> {
    const p = await this.getPerson(hospitalId, personId);
    return {
      personId: p.id,
      name: p.name,
      employeeNo: p.employeeNo,
      kind: p.kind,
      department: p.department,
      campus: p.campus,
      roles: p.roles,
    };
  }

  /**
   * 找同事 for a transfer: the active colleague of the same hospital with exactly this employee
   * number (no browsing, no prefix search). Unknown, left, other hospital and oneself are all the same
   * 404 PAYEE_NOT_FOUND, so the answer tells nothing about who works here beyond the one match.
   */
  async payee(hospitalId: number, personId: number, employeeNo: string): Promise<Payee> {
    const row = await q.findActiveByEmployeeNo(this.db, hospitalId, employeeNo);
    if (!row || row.id === personId) {
      throw new AppError('PAYEE_NOT_FOUND', 404, 'No active colleague has this employee number', { employeeNo });
    }
    return { personId: row.id, maskedName: maskName(row.name), departmentName: row.departmentName };
  }

  // —— audit history ——

  async auditHistory(filters: AuditFilters): Promise<AuditPage> {
    const { page, pageSize } = filters;
    const { items, total } = await q.listAudit(
      this.db,
      { entity: filters.entity, entityId: filters.entityId, actorId: filters.actorId },
      { offset: (page - 1) * pageSize, limit: pageSize },
    );
    return {
      items: items.map((a) => ({ ...a, at: a.at.toISOString(), before: a.before ?? null, after: a.after ?? null })),
      total,
      page,
      pageSize,
    };
  }
}

/**
 * Parents before their children, siblings in the order the query gave (campus, sort order, code),
 * so a client can build the tree in one pass and a flat table reads like the tree.
 */
function inTreeOrder(departments: Department[]): Department[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<number | null, Department[]>();
  for (const d of departments) {
    // A parent outside the list (another campus was filtered out) makes a root of the child.
    const parent = d.parentId !== null && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const ordered: Department[] = [];
  const visit = (parent: number | null): void => {
    for (const d of children.get(parent) ?? []) {
      ordered.push(d);
      visit(d.id);
    }
  };
  visit(null);
  return ordered;
}

const toCampus = (c: Awaited<ReturnType<typeof q.listCampuses>>[number]): Campus => ({
  ...c,
  departmentCount: Number(c.departmentCount ?? 0),
  peopleCount: Number(c.peopleCount ?? 0),
});

const toDepartment = (d: Awaited<ReturnType<typeof q.listDepartments>>[number]): Department => ({
  ...d,
  peopleCount: Number(d.peopleCount ?? 0),
});

function toPersonDetail(row: NonNullable<Awaited<ReturnType<typeof q.findPersonDetail>>>): PersonDetail {
  return {
    id: row.id,
    employeeNo: row.employeeNo,
    name: row.name,
    phone: row.phone,
    kind: row.kind,
    status: row.status,
    department:
      row.departmentId === null
        ? null
        : {
            id: row.departmentId,
            code: row.departmentCode ?? '',
            name: row.departmentName ?? '',
            building: row.building ?? '',
            floor: row.floor ?? '',
          },
    campus: row.campusId === null ? null : { id: row.campusId, name: row.campusName ?? '' },
    roles: row.roles,
    wecomUserId: row.wecomUserId,
    joinedOn: asDay(row.joinedOn),
    leftOn: asDay(row.leftOn),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const campusCodeTaken = (code: string): AppError =>
  conflict('CAMPUS_CODE_TAKEN', `Campus code ${code} is already taken`, { code });

const departmentCodeTaken = (code: string): AppError =>
  conflict('DEPARTMENT_CODE_TAKEN', `Department code ${code} is already taken`, { code });

const unknownParent = (id: number): AppError =>
  invalid('UNKNOWN_DEPARTMENT', `Parent department ${id} does not exist`, [
    { path: '/body/parentId', message: 'no such department' },
  ]);

const campusMismatch = (parentCampusId: number, campusId: number): AppError =>
  invalid(
    'DEPARTMENT_CAMPUS_MISMATCH',
    `The parent department is in campus ${parentCampusId}, not in campus ${campusId}`,
    [{ path: '/body/parentId', message: 'is in another campus' }],
  );

const unknownRole = (role: string): AppError =>
  invalid('UNKNOWN_ROLE', `There is no role ${role}`, [{ path: '/body/roles', message: `unknown role ${role}` }]);
