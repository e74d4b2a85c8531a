// The organisation model's one face for routes, the import, the demo seed and the composition root:
// campuses and the department tree (structure.ts), people (people.ts), roles (roles.ts), and the audit
// history the admin console shows. Each capability keeps its rules in its own file; this class only
// builds them over one database and clock and hands calls on.
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { PersonLifecycleListener } from '../../platform/lifecycle.ts';
import { OrgPeople } from './people.ts';
import * as q from './queries.ts';
import { OrgRoles } from './roles.ts';
import type { AuditFilters, AuditPage } from './schema.ts';
import type { OrgDb } from './shared.ts';
import { OrgStructure } from './structure.ts';

export type { PersonRow } from './people.ts';

export class OrgService {
  private readonly structure: OrgStructure;
  private readonly people: OrgPeople;
  private readonly roles: OrgRoles;

  constructor(
    private readonly db: Kysely<OrgDb>,
    clock: Clock,
    listeners: PersonLifecycleListener[] = [],
    /** Names of API tokens (platform/auth owns them): the history says which integration made a change. */
    private readonly apiTokenNames: (ids: number[]) => Promise<Map<number, string>> = async () => new Map(),
  ) {
    this.structure = new OrgStructure(db, clock);
    this.people = new OrgPeople(db, clock, this.structure, listeners);
    this.roles = new OrgRoles(db);
  }

  // —— hospital, campuses, departments ——

  createHospital(...args: Parameters<OrgStructure['createHospital']>) {
    return this.structure.createHospital(...args);
  }
  listCampuses(...args: Parameters<OrgStructure['listCampuses']>) {
    return this.structure.listCampuses(...args);
  }
  createCampus(...args: Parameters<OrgStructure['createCampus']>) {
    return this.structure.createCampus(...args);
  }
  updateCampus(...args: Parameters<OrgStructure['updateCampus']>) {
    return this.structure.updateCampus(...args);
  }
  listDepartments(...args: Parameters<OrgStructure['listDepartments']>) {
    return this.structure.listDepartments(...args);
  }
  departmentSubtree(...args: Parameters<OrgStructure['departmentSubtree']>) {
    return this.structure.departmentSubtree(...args);
  }
  createDepartment(...args: Parameters<OrgStructure['createDepartment']>) {
    return this.structure.createDepartment(...args);
  }
  updateDepartment(...args: Parameters<OrgStructure['updateDepartment']>) {
    return this.structure.updateDepartment(...args);
  }

  // —— people ——

  addLifecycleListener(...args: Parameters<OrgPeople['addLifecycleListener']>) {
    this.people.addLifecycleListener(...args);
  }
  listPeople(...args: Parameters<OrgPeople['listPeople']>) {
    return this.people.listPeople(...args);
  }
  getPerson(...args: Parameters<OrgPeople['getPerson']>) {
    return this.people.getPerson(...args);
  }
  createPerson(...args: Parameters<OrgPeople['createPerson']>) {
    return this.people.createPerson(...args);
  }
  addPeople(...args: Parameters<OrgPeople['addPeople']>) {
    return this.people.addPeople(...args);
  }
  markPeopleLeft(...args: Parameters<OrgPeople['markPeopleLeft']>) {
    return this.people.markPeopleLeft(...args);
  }
  updatePerson(...args: Parameters<OrgPeople['updatePerson']>) {
    return this.people.updatePerson(...args);
  }
  profile(...args: Parameters<OrgPeople['profile']>) {
    return this.people.profile(...args);
  }
  payee(...args: Parameters<OrgPeople['payee']>) {
    return this.people.payee(...args);
  }

  // —— roles ——

  listRoles(...args: Parameters<OrgRoles['listRoles']>) {
    return this.roles.listRoles(...args);
  }
  assignRoles(...args: Parameters<OrgRoles['assignRoles']>) {
    return this.roles.assignRoles(...args);
  }

  // —— audit history ——

  async auditHistory(filters: AuditFilters): Promise<AuditPage> {
    const { page, pageSize } = filters;
    const { items, total } = await q.listAudit(
      this.db,
      { entity: filters.entity, entityId: filters.entityId, actorId: filters.actorId },
      { offset: (page - 1) * pageSize, limit: pageSize },
    );
    const tokenIds = items.flatMap((a) => (a.apiTokenId === null ? [] : [a.apiTokenId]));
    const tokenNames = await this.apiTokenNames(tokenIds);
    return {
      items: items.map((a) => ({
        ...a,
        apiTokenName: a.apiTokenId === null ? null : (tokenNames.get(a.apiTokenId) ?? null),
        at: a.at.toISOString(),
        before: a.before ?? null,
        after: a.after ?? null,
      })),
      total,
      page,
      pageSize,
    };
  }
}
