// Row types of the organisation's tables (migrations 0001_foundation.sql, 0011_people_pinyin.sql), as Kysely sees them.
import type { Generated } from 'kysely';
import type { CalendarDay, CreatedAt, Id, UpdatedAt } from '../../db/tables.ts';

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
  /** Toneless pinyin, syllables spaced ('wang xiao yan'); null until spelled (migration 0011). */
  namePinyin: string | null;
  /** 'wxy'; null until spelled. */
  nameInitials: string | null;
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

export interface OrgTables {
  hospitals: HospitalsTable;
  campuses: CampusesTable;
  departments: DepartmentsTable;
  people: PeopleTable;
  roles: RolesTable;
  personRoles: PersonRolesTable;
}
