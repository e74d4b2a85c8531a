// The hospital's structure: campuses (院区) and the department tree (科室/病区), with the building and
// floor lunch is delivered to. Each change runs in one transaction with its audit row.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, invalid, notFound, type AppError } from '../../platform/errors.ts';
import * as q from './queries.ts';
import type { Campus, CampusChanges, Department, DepartmentChanges, NewCampus, NewDepartment } from './schema.ts';
import { inTransaction, unknownDepartment, unlessUnique, type OrgDb } from './shared.ts';

export class OrgStructure {
  constructor(
    private readonly db: Kysely<OrgDb>,
    private readonly clock: Clock,
  ) {}

  /** A new hospital (installation set-up and the demo seed); not exposed over HTTP. */
  async createHospital(trx: Tx, values: { code: string; name: string; timeZone?: string }) {
    return q.insertHospital(trx, values);
  }

  // —— campuses ——

  async listCampuses(hospitalId: number): Promise<Campus[]> {
    return (await q.listCampuses(this.db, hospitalId)).map(toCampus);
  }

  async createCampus(hospitalId: number, input: NewCampus, actor: Actor, trx?: Tx): Promise<Campus> {
    return inTransaction(this.db, trx, async (trx) => {
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
    return inTransaction(this.db, trx, async (trx) => {
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

  /** A person placed in a campus must be in one of its departments (people.ts asks before writing). */
  async checkDepartmentInCampus(
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
