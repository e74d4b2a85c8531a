// Request and response schemas of the organisation API. Fastify validates with them, the OpenAPI
// document at /api/docs is generated from them, and the web app imports their Static types
// through server/src/api.ts.
import { Type, type Static } from 'typebox';
import { PERMISSIONS } from '../../platform/auth/permissions.ts';

export const DEPARTMENT_KINDS = ['clinical', 'ward', 'medical_technology', 'administrative', 'logistics'] as const;
export const PERSON_KINDS = ['staff', 'patient_family', 'contractor', 'visitor'] as const;
export const PERSON_STATUSES = ['active', 'left'] as const;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Id = Type.Integer({ minimum: 1 });
const Code = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' });
/** 工号 employee number: letters, digits, dash and underscore, as HR systems and WeCom userids use. */
const EmployeeNo = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });
const Phone = Type.String({ maxLength: 20, pattern: '^[0-9+ -]*$' });
const Day = Type.String({ format: 'date' });
const Timestamp = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Id });

// —— campuses (院区) ——

export const CampusSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  address: Type.String(),
  departmentCount: Type.Integer(),
  /** Active people in the campus's departments. */
  peopleCount: Type.Integer(),
});

export const CampusListSchema = Type.Object({ items: Type.Array(CampusSchema) });

export const NewCampusSchema = Type.Object(
  { code: Code, name: Name, address: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const CampusChangesSchema = Type.Partial(Type.Object({ ...NewCampusSchema.properties }), {
  additionalProperties: false,
  minProperties: 1,
});

// —— departments (科室 / 病区) ——

const DepartmentKind = Type.Enum([...DEPARTMENT_KINDS]);

export const DepartmentSchema = Type.Object({
  id: Type.Integer(),
  campusId: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  name: Type.String(),
  kind: DepartmentKind,
  /** Where lunch is delivered: building and floor. */
  building: Type.String(),
  floor: Type.String(),
  sortOrder: Type.Integer(),
  wecomId: Nullable(Type.String()),
  /** Active people in this department itself (not its children). */
  peopleCount: Type.Integer(),
});

export const DepartmentListSchema = Type.Object({ items: Type.Array(DepartmentSchema) });

export const DepartmentListQuery = Type.Object({ campusId: Type.Optional(Id) }, { additionalProperties: false });

export const NewDepartmentSchema = Type.Object(
  {
    campusId: Id,
    parentId: Type.Optional(Nullable(Id)),
    code: Code,
    name: Name,
    kind: Type.Optional(DepartmentKind),
    building: Type.Optional(Type.String({ maxLength: 64 })),
    floor: Type.Optional(Type.String({ maxLength: 16 })),
    sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
  },
  { additionalProperties: false },
);

/** An edit; a new `parentId` moves the department (null: to the top of its campus). */
export const DepartmentChangesSchema = Type.Partial(
  Type.Object({
    parentId: Nullable(Id),
    code: Code,
    name: Name,
    kind: DepartmentKind,
    building: Type.String({ maxLength: 64 }),
    floor: Type.String({ maxLength: 16 }),
    sortOrder: Type.Integer({ minimum: -100000, maximum: 100000 }),
  }),
  { additionalProperties: false, minProperties: 1 },
);

// —— people ——

const PersonKind = Type.Enum([...PERSON_KINDS]);
const PersonStatus = Type.Enum([...PERSON_STATUSES]);

const DepartmentRef = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  building: Type.String(),
  floor: Type.String(),
});
const CampusRef = Type.Object({ id: Type.Integer(), name: Type.String() });

export const PersonSummarySchema = Type.Object({
  id: Type.Integer(),
  employeeNo: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  kind: PersonKind,
  status: PersonStatus,
  departmentId: Nullable(Type.Integer()),
  departmentName: Nullable(Type.String()),
  campusId: Nullable(Type.Integer()),
  campusName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  joinedOn: Nullable(Day),
  leftOn: Nullable(Day),
});

export const PersonPageSchema = Type.Object({
  items: Type.Array(PersonSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const PEOPLE_SORTS = ['employeeNo', 'name'] as const;

export const PersonListQuery = Type.Object(
  {
    /**
     * Name contains, or employee number starts with, this text (case-insensitive); read as pinyin, the
     * name's pinyin contains it (xiaoyan) or its initials start with it (wxy).
     */
    q: Type.Optional(Type.String({ maxLength: 64 })),
    campusId: Type.Optional(Id),
    /** The department and every department below it. */
    departmentId: Type.Optional(Id),
    kind: Type.Optional(PersonKind),
    status: Type.Optional(PersonStatus),
    role: Type.Optional(Type.String({ maxLength: 32 })),
    /** name (the default): pinyin order, then employee number; employeeNo: by employee number. */
    sort: Type.Optional(Type.Enum([...PEOPLE_SORTS])),
    page: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

export const PersonDetailSchema = Type.Object({
  id: Type.Integer(),
  employeeNo: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  kind: PersonKind,
  status: PersonStatus,
  department: Nullable(DepartmentRef),
  campus: Nullable(CampusRef),
  roles: Type.Array(Type.String()),
  wecomUserId: Nullable(Type.String()),
  joinedOn: Nullable(Day),
  leftOn: Nullable(Day),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const NewPersonSchema = Type.Object(
  {
    employeeNo: EmployeeNo,
    name: Name,
    phone: Type.Optional(Phone),
    departmentId: Nullable(Id),
    /** When given, the department must be in this campus. */
    campusId: Type.Optional(Id),
    kind: Type.Optional(PersonKind),
    joinedOn: Type.Optional(Nullable(Day)),
  },
  { additionalProperties: false },
);

/** An edit. `status: 'left'` records the leaving day (`leftOn`, default today); 'active' brings them back. */
export const PersonChangesSchema = Type.Partial(
  Type.Object({
    employeeNo: EmployeeNo,
    name: Name,
    phone: Phone,
    departmentId: Nullable(Id),
    campusId: Id,
    kind: PersonKind,
    joinedOn: Nullable(Day),
    status: PersonStatus,
    leftOn: Day,
  }),
  { additionalProperties: false, minProperties: 1 },
);

// —— roles ——

export const RoleSchema = Type.Object({
  code: Type.String(),
  permissions: Type.Array(Type.Enum([...PERMISSIONS])),
  /** People holding the role (active ones). */
  holders: Type.Integer(),
});

export const RoleListSchema = Type.Object({ items: Type.Array(RoleSchema) });

export const RoleAssignmentSchema = Type.Object(
  { roles: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20 }) },
  { additionalProperties: false },
);

export const PersonRolesSchema = Type.Object({ personId: Type.Integer(), roles: Type.Array(Type.String()) });

// —— the signed-in person ——

export const ProfileSchema = Type.Object({
  personId: Type.Integer(),
  name: Type.String(),
  employeeNo: Type.String(),
  kind: PersonKind,
  department: Nullable(DepartmentRef),
  campus: Nullable(CampusRef),
  roles: Type.Array(Type.String()),
});

/** 找同事: the one active colleague holding an employee number, for confirming a transfer's payee. */
export const PayeeQuery = Type.Object({ employeeNo: EmployeeNo }, { additionalProperties: false });

/** Only what confirms the payee: the name partly masked (王*燕) and the department. */
export const PayeeSchema = Type.Object({
  personId: Type.Integer(),
  maskedName: Type.String(),
  departmentName: Nullable(Type.String()),
});

// —— audit history ——

export const AuditQuery = Type.Object(
  {
    entity: Type.Optional(Type.String({ maxLength: 32 })),
    entityId: Type.Optional(Type.String({ maxLength: 64 })),
    actorId: Type.Optional(Id),
    page: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  /** The API token an integration made the change with (actorId is then null). */
  apiTokenId: Nullable(Type.Integer()),
  apiTokenName: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.String(),
});

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

// —— people import (人员导入) ——

/** Largest people file accepted; a big hospital's whole staff fits many times over. */
export const MAX_PEOPLE_FILE_BYTES = 5 * 1024 * 1024;

// The file travels as base64 inside JSON, as the subsidy upload does: one body shape for the console
// and scripts, and the same strict validation as every other route.
const PeopleFileFields = {
  fileName: Type.String({ minLength: 5, maxLength: 200, pattern: '\\.(xlsx|csv|XLSX|CSV)$' }),
  contentBase64: Type.String({ minLength: 4, maxLength: Math.ceil((MAX_PEOPLE_FILE_BYTES * 4) / 3) + 4 }),
};

export const PeopleFileSchema = Type.Object(PeopleFileFields, { additionalProperties: false });

export const ConfirmPeopleImportSchema = Type.Object(
  { ...PeopleFileFields, skipProblemRows: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

/** new: will be created; exists: this employee number and name are already there (nothing to do); problem: see problems. */
const IMPORT_ROW_STATUSES = ['new', 'exists', 'problem'] as const;

export const PeopleImportRowSchema = Type.Object({
  rowNumber: Type.Integer(),
  employeeNo: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  /** The department as written (code or name), and the one it names. */
  departmentText: Type.String(),
  department: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() })),
  kindText: Type.String(),
  kind: Nullable(PersonKind),
  joinedOnText: Type.String(),
  joinedOn: Nullable(Day),
  status: Type.Enum([...IMPORT_ROW_STATUSES]),
  /** The person already holding the employee number (status exists). */
  personId: Nullable(Type.Integer()),
  problems: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
});

const ImportTotals = Type.Object({
  rows: Type.Integer(),
  new: Type.Integer(),
  exists: Type.Integer(),
  problem: Type.Integer(),
});

export const PeopleImportPreviewSchema = Type.Object({
  fileName: Type.String(),
  fileSha256: Type.String(),
  totals: ImportTotals,
  /** How many rows carry each problem code. */
  problemCounts: Type.Record(Type.String(), Type.Integer()),
  rows: Type.Array(PeopleImportRowSchema),
});

export const PeopleImportResultSchema = Type.Object({
  fileName: Type.String(),
  fileSha256: Type.String(),
  /** The file as checked at confirm time; rows created now have status new. */
  totals: ImportTotals,
  created: Type.Array(Type.Object({ rowNumber: Type.Integer(), personId: Type.Integer(), employeeNo: Type.String() })),
  skippedProblemRows: Type.Array(Type.Integer()),
});

export type Campus = Static<typeof CampusSchema>;
export type NewCampus = Static<typeof NewCampusSchema>;
export type CampusChanges = Static<typeof CampusChangesSchema>;
export type Department = Static<typeof DepartmentSchema>;
export type NewDepartment = Static<typeof NewDepartmentSchema>;
export type DepartmentChanges = Static<typeof DepartmentChangesSchema>;
export type PersonSummary = Static<typeof PersonSummarySchema>;
export type PersonPage = Static<typeof PersonPageSchema>;
export type PersonListFilters = Static<typeof PersonListQuery>;
export type PersonDetail = Static<typeof PersonDetailSchema>;
export type NewPerson = Static<typeof NewPersonSchema>;
export type PersonChanges = Static<typeof PersonChangesSchema>;
export type RoleSummary = Static<typeof RoleSchema>;
export type RoleAssignment = Static<typeof RoleAssignmentSchema>;
export type PersonRoles = Static<typeof PersonRolesSchema>;
export type Profile = Static<typeof ProfileSchema>;
export type Payee = Static<typeof PayeeSchema>;
export type AuditFilters = Static<typeof AuditQuery>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditPage = Static<typeof AuditPageSchema>;
export type PeopleFile = Static<typeof PeopleFileSchema>;
export type ConfirmPeopleImport = Static<typeof ConfirmPeopleImportSchema>;
export type PeopleImportRow = Static<typeof PeopleImportRowSchema>;
export type PeopleImportPreview = Static<typeof PeopleImportPreviewSchema>;
export type PeopleImportResult = Static<typeof PeopleImportResultSchema>;
