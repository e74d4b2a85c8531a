// People (人员): the admin console's list and edits, the bulk path (Excel import, WeCom sync, the demo
// seed), leaving and coming back, and what a signed-in person may see of themselves and of a colleague.
// People joining or leaving run the lifecycle listeners of other modules (the wallets open or freeze)
// in the same transaction as the change and its audit row.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { isRole, type Role } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { maskName } from './mask.ts';
import { pinyinSearchKey, spellName, type NamePinyin } from './pinyin.ts';
import * as q from './queries.ts';
import { refuseLastAdminLeaving } from './roles.ts';
import type {
  NewPerson,
  Payee,
  PersonChanges,
  PersonDetail,
  PersonListFilters,
  PersonPage,
  Profile,
} from './schema.ts';
import {
  asDay,
  employeeNoTaken,
  hospitalToday,
  unknownDepartment,
  unknownRole,
  violatedUnique,
  type OrgDb,
} from './shared.ts';
import type { OrgStructure } from './structure.ts';
import type { PersonKind, PersonStatus } from './tables.ts';

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
  /** The name spelled beforehand (spellName), so no spelling runs inside the transaction; else spelled here. */
  pinyin?: NamePinyin;
}

type PersonRecord = NonNullable<Awaited<ReturnType<typeof q.findPersonForUpdate>>>;

const BULK_CHUNK = 1000;

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

export class OrgPeople {
  private readonly listeners: PersonLifecycleListener[];

  constructor(
    private readonly db: Kysely<OrgDb>,
    private readonly clock: Clock,
    private readonly structure: OrgStructure,
    listeners: PersonLifecycleListener[] = [],
  ) {
    this.listeners = [...listeners];
  }

  /** Other modules (the wallets, the cards) register here to hear, inside the transaction, who joined and who left. */
  addLifecycleListener(listener: PersonLifecycleListener): void {
    this.listeners.push(listener);
  }

  async listPeople(hospitalId: number, filters: PersonListFilters): Promise<PersonPage> {
    const departmentIds =
      filters.departmentId === undefined
        ? undefined
        : await this.structure.departmentSubtree(hospitalId, filters.departmentId);
    const { page, pageSize } = filters;
    const { items, total } = await q.listPeople(
      this.db,
      hospitalId,
      {
        q: filters.q,
        pinyin: filters.q === undefined ? undefined : pinyinSearchKey(filters.q),
        campusId: filters.campusId,
        departmentIds,
        kind: filters.kind,
        status: filters.status,
        role: filters.role,
      },
      { offset: (page - 1) * pageSize, limit: pageSize, sort: filters.sort ?? 'name' },
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
    const pinyin = spellName(input.name.trim());
    return this.db.transaction().execute(async (trx) => {
      if (input.campusId !== undefined) {
        await this.structure.checkDepartmentInCampus(trx, hospitalId, input.departmentId, input.campusId);
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
            pinyin,
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
    const today = await hospitalToday(trx, this.clock, hospitalId);

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
        const name = r.name.trim();
        return {
          hospitalId,
          employeeNo: r.employeeNo.trim(),
          name,
          ...(r.pinyin ?? spellName(name)),
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
    const day = leftOn ?? (await hospitalToday(trx, this.clock, hospitalId));
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
    // Spelled before the person's row is locked, so the lock is never held for the dictionary.
    const renamed = changes.name?.trim();
    const pinyin = renamed === undefined ? undefined : spellName(renamed);
    return this.db.transaction().execute(async (trx) => {
      const before = await q.findPersonForUpdate(trx, hospitalId, personId);
      if (!before) throw notFound('person', personId);
      const departmentId = changes.departmentId === undefined ? before.departmentId : changes.departmentId;
      if (changes.departmentId !== undefined && departmentId !== null && departmentId !== before.departmentId) {
        if (!(await q.findDepartment(trx, hospitalId, departmentId))) throw unknownDepartment(departmentId);
      }
      if (changes.campusId !== undefined) {
        await this.structure.checkDepartmentInCampus(trx, hospitalId, departmentId, changes.campusId);
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
      if (before.status === 'active' && status === 'left') await refuseLastAdminLeaving(trx, hospitalId, personId);
      let leftOn = before.leftOn;
      if (status === 'active') leftOn = null;
      else if (changes.leftOn !== undefined) leftOn = changes.leftOn;
      else if (before.status === 'active') leftOn = await hospitalToday(trx, this.clock, hospitalId);

      let after: PersonRecord;
      try {
        after = await q.updatePerson(trx, personId, {
          employeeNo,
          name: renamed ?? before.name,
          ...pinyin,
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
}

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
