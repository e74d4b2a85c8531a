// Row types of the foundation tables, as Kysely sees them through CamelCasePlugin.
// Each later module declares its own tables beside its code and adds them to `DB` in database.ts.
import type { ColumnType, Generated } from 'kysely';

/** A bigint identity: written by the database, read as a number (see the int8 parser in index.ts). */
export type Id = Generated<number>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column travels as 'YYYY-MM-DD' text: a calendar day has no time zone to get wrong. */
export type CalendarDay = string;

export interface HospitalsTable {
  id: Id;
  code: string;
  name: string;
  timeZone: Generated<string>;
  createdAt: CreatedAt;
}

export interface CampusesTable {
  id: Id;
  hospitalId: number;
  code: string;
  name: string;
  address: Generated<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export type DepartmentKind = 'clinical' | 'ward' | 'medical_technology' | 'administrative' | 'logistics';

export interface DepartmentsTable {
  id: Id;
  hospitalId: number;
  campusId: number;
  parentId: number | null;
  code: string;
  name: string;
  kind: Generated<DepartmentKind>;
  building: Generated<string>;
  floor: Generated<string>;
  wecomId: string | null;
  sortOrder: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export type PersonKind = 'staff' | 'patient_family' | 'contractor' | 'visitor';
export type PersonStatus = 'active' | 'left';

export interface PeopleTable {
  id: Id;
  hospitalId: number;
  employeeNo: string;
  name: string;
  phone: Generated<string>;
  departmentId: number | null;
  kind: Generated<PersonKind>;
  status: Generated<PersonStatus>;
  wecomUserId: string | null;
  joinedOn: CalendarDay | null;
  leftOn: CalendarDay | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface RolesTable {
  code: string;
  sortOrder: number;
}

export interface PersonRolesTable {
  personId: number;
  roleCode: string;
  grantedAt: CreatedAt;
  grantedBy: number | null;
}

export interface PasswordLoginsTable {
  personId: number;
  username: string;
  passwordHash: string;
  passwordChangedAt: Generated<Date>;
}

export type SessionMethod = 'password' | 'dev' | 'wecom';

export interface SessionsTable {
  tokenHash: string;
  personId: number;
  method: SessionMethod;
  createdAt: CreatedAt;
  lastSeenAt: Generated<Date>;
  expiresAt: Date;
  ip: Generated<string>;
  userAgent: Generated<string>;
}

export interface AuditLogTable {
  id: Id;
  at: CreatedAt;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: Generated<string>;
  ip: Generated<string>;
}

export interface FoundationTables {
  hospitals: HospitalsTable;
  campuses: CampusesTable;
  departments: DepartmentsTable;
  people: PeopleTable;
  roles: RolesTable;
  personRoles: PersonRolesTable;
  passwordLogins: PasswordLoginsTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
}
