// The org directory: what other modules may know about people, roles and hospitals, read through this
// service and never from the org's tables. It depends on nothing but the database, so every module can be
// given it when the app is built.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { AuditTables } from '../../platform/audit.ts';
import { maskName } from './mask.ts';
import * as q from './queries-directory.ts';
import type { OrgTables, PersonKind, PersonStatus } from './tables.ts';

/** A person as other modules see them. */
export interface PersonBrief {
  id: number;
  hospitalId: number;
  employeeNo: string;
  name: string;
  kind: PersonKind;
  status: PersonStatus;
  departmentId: number | null;
}

/** Who a signed-in person is (sessions are the auth module's; the person is the org's). */
export interface Identity {
  personId: number;
  hospitalId: number;
  name: string;
  employeeNo: string;
  status: PersonStatus;
  roles: string[];
}

export class OrgDirectory {
  constructor(private readonly db: Kysely<OrgTables & AuditTables>) {}

  /** One person, inside the caller's transaction when given; undefined when there is no such person. */
  async person(personId: number, trx?: Tx): Promise<PersonBrief | undefined> {
    return (await q.findPeopleBriefs(trx ?? this.db, [personId]))[0];
  }

  async people(personIds: number[], trx?: Tx): Promise<Map<number, PersonBrief>> {
    if (!personIds.length) return new Map();
    return new Map((await q.findPeopleBriefs(trx ?? this.db, [...new Set(personIds)])).map((p) => [p.id, p]));
  }

  /** People of a hospital by employee number (a subsidy file names people by 工号). */
  async byEmployeeNo(hospitalId: number, employeeNos: string[], trx?: Tx): Promise<Map<string, PersonBrief>> {
    if (!employeeNos.length) return new Map();
    const rows = await q.findBriefsByEmployeeNo(trx ?? this.db, hospitalId, [...new Set(employeeNos)]);
    return new Map(rows.map((p) => [p.employeeNo, p]));
  }

  /** Names partly masked (王*燕), as a colleague is shown to someone who is not staff of the org office. */
  async maskedNames(personIds: number[]): Promise<Map<number, string>> {
    const people = await this.people(personIds);
    return new Map([...people.values()].map((p) => [p.id, maskName(p.name)]));
  }

  /** The person holding an employee number in any hospital (development sign-in on a one-hospital install). */
  async personByEmployeeNo(employeeNo: string): Promise<PersonBrief | undefined> {
    return q.findBriefByEmployeeNoAnywhere(this.db, employeeNo);
  }

  async hospitalIds(): Promise<number[]> {
    return (await q.hospitals(this.db)).map((h) => h.id);
  }

  /** The hospitals of this installation (one, mostly), by id and code. */
  async hospitals(): Promise<{ id: number; code: string; name: string }[]> {
    return q.hospitals(this.db);
  }

  /** Active people holding any of these roles (who hears about a ledger breach …). */
  async activeHoldersOf(roles: string[]): Promise<number[]> {
    return q.activeHoldersOf(this.db, roles);
  }

  /** The identity behind a session: name, status, hospital and roles. */
  async identity(personId: number): Promise<Identity | undefined> {
    const row = await q.findIdentity(this.db, personId);
    return (
      row && {
        personId: row.id,
        hospitalId: row.hospitalId,
        name: row.name,
        employeeNo: row.employeeNo,
        status: row.status,
        roles: row.roles ?? [],
      }
    );
  }
}
