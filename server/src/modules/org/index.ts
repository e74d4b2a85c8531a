// The org module's public face: what other modules and the app may use.
export { OrgDirectory, type Identity, type PersonBrief } from './directory.ts';
export { PeopleImportService } from './import.ts';
export { orgRoutes } from './routes.ts';
export { OrgService, type PersonRow } from './service.ts';
export type { DepartmentKind, OrgTables, PersonKind, PersonStatus } from './tables.ts';
