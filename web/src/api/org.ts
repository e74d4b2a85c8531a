import type {
  AuditFilters,
  AuditPage,
  Campus,
  CampusChanges,
  ConfirmPeopleImport,
  Department,
  DepartmentChanges,
  NewCampus,
  NewDepartment,
  NewPerson,
  PeopleFile,
  PeopleImportPreview,
  PeopleImportResult,
  PersonChanges,
  PersonDetail,
  PersonListFilters,
  PersonPage,
  PersonRoles,
  Profile,
  RoleSummary,
} from '@canteen/server/api';
import { api } from './client.ts';

/** The organisation API (server/src/modules/org/routes.ts): campuses, departments, people, roles. */
export const orgApi = {
  campuses: async () => (await api.get<{ items: Campus[] }>('/api/campuses')).items,
  createCampus: (body: NewCampus) => api.post<Campus>('/api/campuses', body),
  updateCampus: (id: number, body: CampusChanges) => api.patch<Campus>(`/api/campuses/${id}`, body),

  departments: async (campusId?: number) =>
    (await api.get<{ items: Department[] }>('/api/departments', { campusId })).items,
  createDepartment: (body: NewDepartment) => api.post<Department>('/api/departments', body),
  updateDepartment: (id: number, body: DepartmentChanges) => api.patch<Department>(`/api/departments/${id}`, body),

  people: (filters: Partial<PersonListFilters>, signal?: AbortSignal) =>
    api.get<PersonPage>('/api/people', filters, signal),
  person: (id: number) => api.get<PersonDetail>(`/api/people/${id}`),
  createPerson: (body: NewPerson) => api.post<PersonDetail>('/api/people', body),
  updatePerson: (id: number, body: PersonChanges) => api.patch<PersonDetail>(`/api/people/${id}`, body),
  setRoles: (id: number, roles: string[]) => api.put<PersonRoles>(`/api/people/${id}/roles`, { roles }),

  /** People import (人员导入): check a file, then create its new people; the file is sent both times. */
  previewPeopleImport: (body: PeopleFile) => api.post<PeopleImportPreview>('/api/people/import/preview', body),
  importPeople: (body: ConfirmPeopleImport) => api.post<PeopleImportResult>('/api/people/import', body),
  /** A plain link: the browser downloads it with the session cookie. */
  peopleImportTemplateUrl: '/api/people/import/template.xlsx',

  roles: async () => (await api.get<{ items: RoleSummary[] }>('/api/roles')).items,
  profile: () => api.get<Profile>('/api/me/profile'),
};

/** The audit log (GET /api/audit, audit.read): who changed what, newest first. */
export const auditApi = {
  history: (filters: Partial<AuditFilters>) => api.get<AuditPage>('/api/audit', filters),
};
