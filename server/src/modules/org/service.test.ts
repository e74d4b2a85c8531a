import type { Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../tables.ts';
import { systemActor, type Actor } from '../../platform/audit.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppError } from '../../platform/errors.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { describeEachDatabase } from '../../../test/harness.ts';
import { newCampus, newDepartment, newHospital, newPerson } from '../../../test/factories.ts';
import { OrgService, type PersonRow } from './service.ts';

const actor: Actor = { personId: null, requestId: 'test', ip: '127.0.0.1' };

/** Rejects with an AppError of this code (and status), and nothing else. */
async function refused(work: Promise<unknown>, code: string, status?: number) {
  const error = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as AppError | null;
  expect(error, `expected ${code}`).not.toBeNull();
  expect(error?.code).toBe(code);
  if (status !== undefined) expect(error?.status).toBe(status);
  return error as AppError;
}

/** Remembers what it heard and checks, inside the transaction, that the people it hears about are there. */
class RecordingListener implements PersonLifecycleListener {
  activated: PersonRef[][] = [];
  left: PersonRef[][] = [];
  failNext = false;

  async peopleActivated(trx: Transaction<DB>, people: PersonRef[]): Promise<void> {
    await this.check(trx, people, 'active');
    this.activated.push(people);
  }

  async peopleLeft(trx: Transaction<DB>, people: PersonRef[]): Promise<void> {
    await this.check(trx, people, 'left');
    this.left.push(people);
  }

  private async check(trx: Transaction<DB>, people: PersonRef[], status: string): Promise<void> {
    const rows = await trx
      .selectFrom('people')
      .select(['id', 'status'])
      .where(
        'id',
        'in',
        people.map((p) => p.id),
      )
      .execute();
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r) => r.status === status)).toBe(true);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the wallet could not be opened');
    }
  }
}

describeEachDatabase('OrgService', (get) => {
  const clock = new FixedClock(new Date('2026-03-02T17:30:00Z')); // 01:30 on 3 March in Shanghai
  const listener = new RecordingListener();
  let org: OrgService;
  let hospitalId: number;

  beforeAll(async () => {
    org = new OrgService(get().db, clock, [listener]);
    hospitalId = (await newHospital(get().db)).id;
  });

  const addOne = (row: Partial<PersonRow> & { departmentId: number | null }) =>
    get()
      .db.transaction()
      .execute(async (trx) => {
        const [ref] = await org.addPeople(
          trx,
          hospitalId,
          [{ employeeNo: `N${Math.random().toString(36).slice(2, 10)}`, name: '测试', ...row }],
          actor,
        );
        return ref as PersonRef;
      });

  describe('campuses', () => {
    it('creates a campus and refuses a second one with the same code', async () => {
      const campus = await org.createCampus(hospitalId, { code: 'EAST', name: '东院' }, actor);
      expect(campus).toMatchObject({ code: 'EAST', name: '东院', departmentCount: 0, peopleCount: 0 });
      await refused(
        org.createCampus(hospitalId, { code: 'EAST', name: '又一个东院' }, actor),
        'CAMPUS_CODE_TAKEN',
        409,
      );
      const renamed = await org.updateCampus(hospitalId, campus.id, { name: '东院区', address: '东路 1 号' }, actor);
      expect(renamed).toMatchObject({ code: 'EAST', name: '东院区', address: '东路 1 号' });
    });
  });

  describe('department tree', () => {
    it('refuses to move a department under its own child, and changes nothing', async () => {
      const campus = await newCampus(get().db);
      const parent = await org.createDepartment(
        hospitalId,
        { campusId: campus.id, code: 'TREE-P', name: '妇产科' },
        actor,
      );
      const child = await org.createDepartment(
        hospitalId,
        { campusId: campus.id, parentId: parent.id, code: 'TREE-C', name: '产一区' },
        actor,
      );
      const grandchild = await org.createDepartment(
        hospitalId,
        { campusId: campus.id, parentId: child.id, code: 'TREE-G', name: '产一区护理组' },
        actor,
      );
      await refused(
        org.updateDepartment(hospitalId, parent.id, { parentId: child.id }, actor),
        'DEPARTMENT_CYCLE',
        422,
      );
      await refused(
        org.updateDepartment(hospitalId, parent.id, { parentId: grandchild.id, name: '改名' }, actor),
        'DEPARTMENT_CYCLE',
      );
      await refused(org.updateDepartment(hospitalId, parent.id, { parentId: parent.id }, actor), 'DEPARTMENT_CYCLE');
      const after = await get()
        .db.selectFrom('departments')
        .select(['parentId', 'name'])
        .where('id', '=', parent.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ parentId: null, name: '妇产科' });
      const audits = await get()
        .db.selectFrom('auditLog')
        .select('action')
        .where('entity', '=', 'department')
        .where('entityId', '=', String(parent.id))
        .execute();
      expect(audits.map((a) => a.action)).toEqual(['department.create']);
    });

    it('moves a department with its subtree, and back to the top', async () => {
      const campus = await newCampus(get().db);
      const a = await org.createDepartment(hospitalId, { campusId: campus.id, code: 'MV-A', name: '儿科' }, actor);
      const b = await org.createDepartment(hospitalId, { campusId: campus.id, code: 'MV-B', name: '新生儿科' }, actor);
      const c = await org.createDepartment(
        hospitalId,
        { campusId: campus.id, parentId: b.id, code: 'MV-C', name: 'NICU' },
        actor,
      );
      expect((await org.updateDepartment(hospitalId, b.id, { parentId: a.id }, actor)).parentId).toBe(a.id);
      expect(await org.departmentSubtree(hospitalId, a.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
      expect((await org.updateDepartment(hospitalId, b.id, { parentId: null }, actor)).parentId).toBeNull();
      const audit = await get()
        .db.selectFrom('auditLog')
        .select(['action', 'before', 'after'])
        .where('entity', '=', 'department')
        .where('entityId', '=', String(b.id))
        .orderBy('id')
        .execute();
      expect(audit.map((r) => r.action)).toEqual(['department.create', 'department.move', 'department.move']);
      expect(audit[1]).toMatchObject({ before: { parentId: null }, after: { parentId: a.id } });
    });

    it('refuses a parent in another campus, when creating and when moving', async () => {
      const east = await newCampus(get().db);
      const west = await newCampus(get().db);
      const eastDept = await newDepartment(get().db, { campusId: east.id });
      const westDept = await newDepartment(get().db, { campusId: west.id });
      await refused(
        org.createDepartment(
          hospitalId,
          { campusId: west.id, parentId: eastDept.id, code: 'X-CAMPUS', name: '错' },
          actor,
        ),
        'DEPARTMENT_CAMPUS_MISMATCH',
        422,
      );
      await refused(
        org.updateDepartment(hospitalId, westDept.id, { parentId: eastDept.id }, actor),
        'DEPARTMENT_CAMPUS_MISMATCH',
      );
      expect(
        await get().db.selectFrom('departments').select('id').where('code', '=', 'X-CAMPUS').executeTakeFirst(),
      ).toBeUndefined();
    });

    it('refuses a duplicate department code, an unknown campus and an unknown parent', async () => {
      const campus = await newCampus(get().db);
      await org.createDepartment(hospitalId, { campusId: campus.id, code: 'DUP', name: '检验科' }, actor);
      await refused(
        org.createDepartment(hospitalId, { campusId: campus.id, code: 'DUP', name: '检验科二' }, actor),
        'DEPARTMENT_CODE_TAKEN',
        409,
      );
      await refused(
        org.createDepartment(hospitalId, { campusId: 999999, code: 'NC', name: '无' }, actor),
        'UNKNOWN_CAMPUS',
        422,
      );
      await refused(
        org.createDepartment(hospitalId, { campusId: campus.id, parentId: 999999, code: 'NP', name: '无' }, actor),
        'UNKNOWN_DEPARTMENT',
        422,
      );
      const other = await newDepartment(get().db, { campusId: campus.id });
      await refused(org.updateDepartment(hospitalId, other.id, { code: 'DUP' }, actor), 'DEPARTMENT_CODE_TAKEN');
    });

    it('lists parents before their children', async () => {
      const campus = await newCampus(get().db);
      const parent = await org.createDepartment(
        hospitalId,
        { campusId: campus.id, code: 'ZZ-PARENT', name: '后勤' },
        actor,
      );
      await org.createDepartment(
        hospitalId,
        { campusId: campus.id, parentId: parent.id, code: 'AA-CHILD', name: '食堂' },
        actor,
      );
      const ids = (await org.listDepartments(hospitalId, campus.id)).map((d) => d.code);
      expect(ids.indexOf('ZZ-PARENT')).toBeLessThan(ids.indexOf('AA-CHILD'));
    });
  });

  describe('people', () => {
    it('refuses a duplicate employee number and writes nothing', async () => {
      const department = await newDepartment(get().db);
      await org.createPerson(hospitalId, { employeeNo: 'DUP-1', name: '王芳', departmentId: department.id }, actor);
      const before = await get()
        .db.selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await refused(
        org.createPerson(hospitalId, { employeeNo: 'DUP-1', name: '李娜', departmentId: department.id }, actor),
        'EMPLOYEE_NO_TAKEN',
        409,
      );
      const people = await get().db.selectFrom('people').select('name').where('employeeNo', '=', 'DUP-1').execute();
      expect(people).toEqual([{ name: '王芳' }]);
      const after = await get()
        .db.selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('refuses an employee number repeated inside one batch', async () => {
      const department = await newDepartment(get().db);
      const error = await refused(
        get()
          .db.transaction()
          .execute((trx) =>
            org.addPeople(
              trx,
              hospitalId,
              [
                { employeeNo: 'REP-1', name: '甲', departmentId: department.id },
                { employeeNo: 'REP-1', name: '乙', departmentId: department.id },
              ],
              actor,
            ),
          ),
        'EMPLOYEE_NO_TAKEN',
      );
      expect(error.details).toEqual({ employeeNos: ['REP-1'] });
      expect(await get().db.selectFrom('people').select('id').where('employeeNo', '=', 'REP-1').execute()).toEqual([]);
    });

    it('refuses a department that does not exist, or one in another campus than requested', async () => {
      const east = await newCampus(get().db);
      const west = await newCampus(get().db);
      const westDept = await newDepartment(get().db, { campusId: west.id });
      await refused(
        org.createPerson(hospitalId, { employeeNo: 'NODEPT', name: '赵六', departmentId: 999999 }, actor),
        'UNKNOWN_DEPARTMENT',
        422,
      );
      await refused(
        org.createPerson(
          hospitalId,
          { employeeNo: 'WRONGC', name: '赵六', departmentId: westDept.id, campusId: east.id },
          actor,
        ),
        'DEPARTMENT_CAMPUS_MISMATCH',
        422,
      );
      const person = await org.createPerson(
        hospitalId,
        { employeeNo: 'RIGHTC', name: '赵六', departmentId: westDept.id, campusId: west.id },
        actor,
      );
      expect(person.campus?.id).toBe(west.id);
      await refused(
        org.updatePerson(hospitalId, person.id, { departmentId: westDept.id, campusId: east.id }, actor),
        'DEPARTMENT_CAMPUS_MISMATCH',
      );
      await refused(org.updatePerson(hospitalId, person.id, { departmentId: 999999 }, actor), 'UNKNOWN_DEPARTMENT');
      const rows = await get()
        .db.selectFrom('people')
        .select('employeeNo')
        .where('employeeNo', 'in', ['NODEPT', 'WRONGC'])
        .execute();
      expect(rows).toEqual([]);
    });

    it('records leaving with today in the hospital zone, and clears it on return', async () => {
      const department = await newDepartment(get().db);
      const person = await org.createPerson(
        hospitalId,
        { employeeNo: 'LEAVE-1', name: '钱七', departmentId: department.id },
        actor,
      );
      const left = await org.updatePerson(hospitalId, person.id, { status: 'left' }, actor);
      // 17:30 UTC on 2 March is already 3 March in Shanghai.
      expect(left).toMatchObject({ status: 'left', leftOn: '2026-03-03' });
      const dated = await org.updatePerson(hospitalId, person.id, { leftOn: '2026-02-28' }, actor);
      expect(dated.leftOn).toBe('2026-02-28');
      const back = await org.updatePerson(hospitalId, person.id, { status: 'active' }, actor);
      expect(back).toMatchObject({ status: 'active', leftOn: null });
      await refused(
        org.updatePerson(hospitalId, person.id, { leftOn: '2026-03-01' }, actor),
        'LEFT_ON_NEEDS_LEFT',
        422,
      );
      const actions = await get()
        .db.selectFrom('auditLog')
        .select(['action', 'before', 'after'])
        .where('entity', '=', 'person')
        .where('entityId', '=', String(person.id))
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual(['person.create', 'person.leave', 'person.update', 'person.return']);
      expect(actions[1]).toMatchObject({
        before: { status: 'active', leftOn: null },
        after: { status: 'left', leftOn: '2026-03-03' },
      });
    });

    it('refuses to give one person the employee number of another', async () => {
      const department = await newDepartment(get().db);
      await newPerson(get().db, { employeeNo: 'TAKEN-9', departmentId: department.id });
      const person = await org.createPerson(
        hospitalId,
        { employeeNo: 'FREE-9', name: '孙八', departmentId: department.id },
        actor,
      );
      await refused(
        org.updatePerson(hospitalId, person.id, { employeeNo: 'TAKEN-9' }, actor),
        'EMPLOYEE_NO_TAKEN',
        409,
      );
      expect((await org.getPerson(hospitalId, person.id)).employeeNo).toBe('FREE-9');
    });

    it('answers 404 for a person that does not exist', async () => {
      await refused(org.getPerson(hospitalId, 999999), 'NOT_FOUND', 404);
      await refused(org.updatePerson(hospitalId, 999999, { name: '无' }, actor), 'NOT_FOUND', 404);
    });
  });

  describe('two requests at once', () => {
    it('gives an employee number to exactly one of two people', async () => {
      const department = await newDepartment(get().db);
      const results = await Promise.allSettled(
        ['甲', '乙'].map((name) =>
          org.createPerson(hospitalId, { employeeNo: 'RACE-1', name, departmentId: department.id }, actor),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failure.reason as AppError).code).toBe('EMPLOYEE_NO_TAKEN');
      expect(
        await get().db.selectFrom('people').select('id').where('employeeNo', '=', 'RACE-1').execute(),
      ).toHaveLength(1);
    });

    it('never lets two crossing moves close a loop', async () => {
      const campus = await newCampus(get().db);
      const a = await org.createDepartment(hospitalId, { campusId: campus.id, code: 'RACE-A', name: '甲科' }, actor);
      const b = await org.createDepartment(hospitalId, { campusId: campus.id, code: 'RACE-B', name: '乙科' }, actor);
      const results = await Promise.allSettled([
        org.updateDepartment(hospitalId, a.id, { parentId: b.id }, actor),
        org.updateDepartment(hospitalId, b.id, { parentId: a.id }, actor),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failure.reason as AppError).code).toBe('DEPARTMENT_CYCLE');
    });
  });

  describe('lifecycle listeners', () => {
    it('tells the listeners about active people in the same transaction, in one call per batch', async () => {
      const department = await newDepartment(get().db);
      const calls = listener.activated.length;
      const refs = await get()
        .db.transaction()
        .execute((trx) =>
          org.addPeople(
            trx,
            hospitalId,
            [
              { employeeNo: 'LC-1', name: '一', departmentId: department.id },
              { employeeNo: 'LC-2', name: '二', departmentId: department.id, status: 'left', leftOn: '2025-12-31' },
              { employeeNo: 'LC-3', name: '三', departmentId: department.id, kind: 'contractor' },
            ],
            actor,
          ),
        );
      expect(listener.activated).toHaveLength(calls + 1);
      expect(listener.activated.at(-1)?.map((p) => p.employeeNo)).toEqual(['LC-1', 'LC-3']);
      expect(refs.map((r) => r.employeeNo)).toEqual(['LC-1', 'LC-2', 'LC-3']);
    });

    it('tells the listeners when a person leaves and when they come back', async () => {
      const department = await newDepartment(get().db);
      const ref = await addOne({ departmentId: department.id });
      const leftCalls = listener.left.length;
      const activatedCalls = listener.activated.length;
      await org.updatePerson(hospitalId, ref.id, { status: 'left' }, actor);
      expect(listener.left).toHaveLength(leftCalls + 1);
      expect(listener.left.at(-1)).toEqual([ref]);
      await org.updatePerson(hospitalId, ref.id, { name: '改名' }, actor);
      expect(listener.left).toHaveLength(leftCalls + 1);
      await org.updatePerson(hospitalId, ref.id, { status: 'active' }, actor);
      expect(listener.activated).toHaveLength(activatedCalls + 1);
    });

    it('lets many people leave at once, skipping those already gone, in one call to the listeners', async () => {
      const department = await newDepartment(get().db);
      const a = await addOne({ departmentId: department.id });
      const b = await addOne({ departmentId: department.id });
      const gone = await addOne({ departmentId: department.id, status: 'left', leftOn: '2025-01-01' });
      const calls = listener.left.length;
      const left = await get()
        .db.transaction()
        .execute((trx) => org.markPeopleLeft(trx, hospitalId, [a.id, b.id, gone.id, a.id], actor, '2026-02-28'));
      expect(left.map((p) => p.id)).toEqual([a.id, b.id]);
      expect(listener.left).toHaveLength(calls + 1);
      expect((await org.getPerson(hospitalId, b.id)).leftOn).toBe('2026-02-28');
      expect((await org.getPerson(hospitalId, gone.id)).leftOn).toBe('2025-01-01');
      const audit = await get()
        .db.selectFrom('auditLog')
        .select('after')
        .where('action', '=', 'person.leave')
        .where('entityId', '=', String(a.id))
        .executeTakeFirstOrThrow();
      expect(audit.after).toMatchObject({ status: 'left', leftOn: '2026-02-28' });
    });

    it('rolls the person back when a listener fails', async () => {
      const department = await newDepartment(get().db);
      listener.failNext = true;
      await expect(
        org.createPerson(hospitalId, { employeeNo: 'ROLLBACK-1', name: '回滚', departmentId: department.id }, actor),
      ).rejects.toThrow('the wallet could not be opened');
      expect(await get().db.selectFrom('people').select('id').where('employeeNo', '=', 'ROLLBACK-1').execute()).toEqual(
        [],
      );
      const audit = await get()
        .db.selectFrom('auditLog')
        .select('id')
        .where('after', '@>', JSON.stringify({ employeeNo: 'ROLLBACK-1' }))
        .execute();
      expect(audit).toEqual([]);

      const ref = await addOne({ departmentId: department.id });
      listener.failNext = true;
      await expect(org.updatePerson(hospitalId, ref.id, { status: 'left' }, actor)).rejects.toThrow();
      expect((await org.getPerson(hospitalId, ref.id)).status).toBe('active');
    });
  });

  describe('roles', () => {
    it('replaces the roles a person holds and audits before and after', async () => {
      const person = await newPerson(get().db, { roles: ['staff', 'cashier'] });
      const result = await org.assignRoles(hospitalId, person.id, ['finance', 'staff', 'finance'], actor);
      expect(result).toEqual({ personId: person.id, roles: ['finance', 'staff'] });
      const audit = await get()
        .db.selectFrom('auditLog')
        .select(['before', 'after'])
        .where('action', '=', 'person.roles')
        .where('entityId', '=', String(person.id))
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ before: { roles: ['cashier', 'staff'] }, after: { roles: ['finance', 'staff'] } });
    });

    it('refuses an unknown role and keeps the old ones', async () => {
      const person = await newPerson(get().db, { roles: ['kitchen'] });
      await refused(org.assignRoles(hospitalId, person.id, ['kitchen', 'chef'], actor), 'UNKNOWN_ROLE', 422);
      expect((await org.getPerson(hospitalId, person.id)).roles).toEqual(['kitchen']);
    });

    it('refuses to take the admin role from the last active admin', async () => {
      const admins = await get()
        .db.selectFrom('personRoles')
        .select('personId')
        .where('roleCode', '=', 'admin')
        .execute();
      for (const a of admins)
        await get()
          .db.deleteFrom('personRoles')
          .where('personId', '=', a.personId)
          .where('roleCode', '=', 'admin')
          .execute();
      const only = await newPerson(get().db, { roles: ['admin'] });
      await refused(org.assignRoles(hospitalId, only.id, ['staff'], systemActor), 'LAST_ADMIN', 409);
      await refused(org.updatePerson(hospitalId, only.id, { status: 'left' }, systemActor), 'LAST_ADMIN', 409);
      expect((await org.getPerson(hospitalId, only.id)).status).toBe('active');
      const second = await newPerson(get().db, { roles: ['admin'] });
      expect((await org.assignRoles(hospitalId, only.id, ['staff'], systemActor)).roles).toEqual(['staff']);
      expect((await org.getPerson(hospitalId, second.id)).roles).toEqual(['admin']);
    });

    it('counts the active holders of each role', async () => {
      const roles = await org.listRoles(hospitalId);
      expect(roles.map((r) => r.code)).toEqual([
        'staff',
        'cashier',
        'kitchen',
        'delivery',
        'finance',
        'canteen_manager',
        'admin',
        'auditor',
      ]);
      expect(roles.find((r) => r.code === 'admin')?.permissions).toContain('roles.assign');
      expect(roles.find((r) => r.code === 'admin')?.holders).toBeGreaterThanOrEqual(1);
    });
  });
});
