// HTTP routes of the organisation model: parse, authorise (config.access), call OrgService, reply.
import { actorOf, personOf, principalOf, type App } from '../../platform/http.ts';
import { uploadedBytes } from '../../platform/spreadsheet.ts';
import { peopleImportTemplate, type PeopleImportService } from './import.ts';
import {
  AuditPageSchema,
  AuditQuery,
  CampusChangesSchema,
  CampusListSchema,
  CampusSchema,
  ConfirmPeopleImportSchema,
  DepartmentChangesSchema,
  DepartmentListQuery,
  DepartmentListSchema,
  DepartmentSchema,
  IdParams,
  MAX_PEOPLE_FILE_BYTES,
  NewCampusSchema,
  NewDepartmentSchema,
  NewPersonSchema,
  PayeeQuery,
  PayeeSchema,
  PeopleFileSchema,
  PeopleImportPreviewSchema,
  PeopleImportResultSchema,
  PersonChangesSchema,
  PersonDetailSchema,
  PersonListQuery,
  PersonPageSchema,
  PersonRolesSchema,
  ProfileSchema,
  RoleAssignmentSchema,
  RoleListSchema,
} from './schema.ts';
import type { OrgService } from './service.ts';

const hospitalOf = (request: Parameters<typeof principalOf>[0]): number => principalOf(request).hospitalId;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// base64 is 4/3 of the file, plus room for the rest of the JSON body.
const PEOPLE_FILE_BODY_LIMIT = Math.ceil((MAX_PEOPLE_FILE_BYTES * 4) / 3) + 64 * 1024;

export function orgRoutes(app: App, org: OrgService, peopleImport: PeopleImportService): void {
  // —— campuses ——

  app.get(
    '/api/campuses',
    {
      config: { access: 'org.read' },
      schema: { tags: ['org'], summary: 'Campuses (院区) of the hospital', response: { 200: CampusListSchema } },
    },
    async (request) => ({ items: await org.listCampuses(hospitalOf(request)) }),
  );

  app.post(
    '/api/campuses',
    {
      config: { access: 'org.write' },
      schema: { tags: ['org'], summary: 'Add a campus', body: NewCampusSchema, response: { 201: CampusSchema } },
    },
    async (request, reply) => {
      const campus = await org.createCampus(hospitalOf(request), request.body, actorOf(request));
      return reply.code(201).send(campus);
    },
  );

  app.patch(
    '/api/campuses/:id',
    {
      config: { access: 'org.write' },
      schema: {
        tags: ['org'],
        summary: 'Edit a campus',
        params: IdParams,
        body: CampusChangesSchema,
        response: { 200: CampusSchema },
      },
    },
    async (request) => org.updateCampus(hospitalOf(request), request.params.id, request.body, actorOf(request)),
  );

  // —— departments ——

  app.get(
    '/api/departments',
    {
      config: { access: 'org.read' },
      schema: {
        tags: ['org'],
        summary: 'Departments (科室/病区) as a flat list with parentId, in tree order within each campus',
        querystring: DepartmentListQuery,
        response: { 200: DepartmentListSchema },
      },
    },
    async (request) => ({ items: await org.listDepartments(hospitalOf(request), request.query.campusId) }),
  );

  app.post(
    '/api/departments',
    {
      config: { access: 'org.write' },
      schema: {
        tags: ['org'],
        summary: 'Add a department',
        body: NewDepartmentSchema,
        response: { 201: DepartmentSchema },
      },
    },
    async (request, reply) => {
      const department = await org.createDepartment(hospitalOf(request), request.body, actorOf(request));
      return reply.code(201).send(department);
    },
  );

  app.patch(
    '/api/departments/:id',
    {
      config: { access: 'org.write' },
      schema: {
        tags: ['org'],
        summary: 'Edit a department; a new parentId moves it (null: to the top of its campus)',
        params: IdParams,
        body: DepartmentChangesSchema,
        response: { 200: DepartmentSchema },
      },
    },
    async (request) => org.updateDepartment(hospitalOf(request), request.params.id, request.body, actorOf(request)),
  );

  // —— people ——

  app.get(
    '/api/people',
    {
      config: { access: 'people.read' },
      schema: {
        tags: ['people'],
        summary: 'People, searched, filtered and paged',
        querystring: PersonListQuery,
        response: { 200: PersonPageSchema },
      },
    },
    async (request) => org.listPeople(hospitalOf(request), request.query),
  );

  app.post(
    '/api/people',
    {
      config: { access: 'people.write' },
      schema: {
        tags: ['people'],
        summary: 'Add a person',
        body: NewPersonSchema,
        response: { 201: PersonDetailSchema },
      },
    },
    async (request, reply) => {
      const person = await org.createPerson(hospitalOf(request), request.body, actorOf(request));
      return reply.code(201).send(person);
    },
  );

  app.get(
    '/api/people/:id',
    {
      config: { access: 'people.read' },
      schema: { tags: ['people'], summary: 'One person', params: IdParams, response: { 200: PersonDetailSchema } },
    },
    async (request) => org.getPerson(hospitalOf(request), request.params.id),
  );

  app.patch(
    '/api/people/:id',
    {
      config: { access: 'people.write' },
      schema: {
        tags: ['people'],
        summary: "Edit a person; status 'left' records leaving (leftOn defaults to today), 'active' brings them back",
        params: IdParams,
        body: PersonChangesSchema,
        response: { 200: PersonDetailSchema },
      },
    },
    async (request) => org.updatePerson(hospitalOf(request), request.params.id, request.body, actorOf(request)),
  );

  // —— people import (人员导入) ——

  app.post(
    '/api/people/import/preview',
    {
      config: { access: 'people.write' },
      bodyLimit: PEOPLE_FILE_BODY_LIMIT,
      schema: {
        tags: ['people'],
        summary: 'Check a people file (.xlsx or .csv, base64) row by row; nothing is written',
        body: PeopleFileSchema,
        response: { 200: PeopleImportPreviewSchema },
      },
    },
    async (request) =>
      peopleImport.previewPeopleImport({
        hospitalId: hospitalOf(request),
        fileName: request.body.fileName,
        bytes: uploadedBytes(request.body.contentBase64, MAX_PEOPLE_FILE_BYTES),
      }),
  );

  app.post(
    '/api/people/import',
    {
      config: { access: 'people.write' },
      bodyLimit: PEOPLE_FILE_BODY_LIMIT,
      schema: {
        tags: ['people'],
        summary: 'Create the new people of a file in one transaction (their wallets open)',
        description:
          'The file is checked again. A file with problem rows is refused (409 IMPORT_HAS_PROBLEMS) unless skipProblemRows is true. Rows whose employee number and name already exist are left alone, so importing a file again creates nobody twice.',
        body: ConfirmPeopleImportSchema,
        response: { 200: PeopleImportResultSchema },
      },
    },
    async (request) =>
      peopleImport.importPeople(
        {
          hospitalId: hospitalOf(request),
          fileName: request.body.fileName,
          bytes: uploadedBytes(request.body.contentBase64, MAX_PEOPLE_FILE_BYTES),
        },
        request.body.skipProblemRows ?? false,
        actorOf(request),
      ),
  );

  app.get(
    '/api/people/import/template.xlsx',
    {
      config: { access: 'people.write' },
      schema: {
        tags: ['people'],
        summary: 'The Excel template HR fills in (工号, 姓名, 手机, 科室, 人员类别, 入职日期)',
      },
    },
    async (_request, reply) =>
      reply
        .type(XLSX)
        .header(
          'content-disposition',
          `attachment; filename="people-template.xlsx"; filename*=UTF-8''${encodeURIComponent('人员导入模板.xlsx')}`,
        )
        .send(await peopleImportTemplate()),
  );

  // —— roles ——

  app.get(
    '/api/roles',
    {
      config: { access: 'people.read' },
      schema: {
        tags: ['people'],
        summary: 'Every role with its permissions and how many active people hold it',
        response: { 200: RoleListSchema },
      },
    },
    async (request) => ({ items: await org.listRoles(hospitalOf(request)) }),
  );

  app.put(
    '/api/people/:id/roles',
    {
      config: { access: 'roles.assign' },
      schema: {
        tags: ['people'],
        summary: 'Replace the roles a person holds',
        params: IdParams,
        body: RoleAssignmentSchema,
        response: { 200: PersonRolesSchema },
      },
    },
    async (request) => org.assignRoles(hospitalOf(request), request.params.id, request.body.roles, actorOf(request)),
  );

  // —— the signed-in person ——

  app.get(
    '/api/me/profile',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'The signed-in person: name, employee number, department (building, floor) and campus',
        response: { 200: ProfileSchema },
      },
    },
    async (request) => {
      const me = personOf(request);
      return org.profile(me.hospitalId, me.personId);
    },
  );

  app.get(
    '/api/me/payees',
    {
      // Employee numbers are sequential: the limit keeps anyone from walking the staff list.
      config: { access: 'signed-in', rateLimit: ['payee.person', 'payee.address'] },
      schema: {
        tags: ['people'],
        summary: '找同事 for a transfer: the active colleague with exactly this employee number',
        description:
          'Exact match only (no browsing). Returns the person id, the name partly masked (王*燕) and the department. Unknown, left, another hospital and oneself: 404 PAYEE_NOT_FOUND.',
        querystring: PayeeQuery,
        response: { 200: PayeeSchema },
      },
    },
    async (request) => {
      const me = personOf(request);
      return org.payee(me.hospitalId, me.personId, request.query.employeeNo);
    },
  );

  // —— audit history ——

  app.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first; filter by entity (e.g. person) and entityId for one record',
        querystring: AuditQuery,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => org.auditHistory(request.query),
  );
}
