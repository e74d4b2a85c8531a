// HTTP routes of the hospital's structure: campuses (院区) and departments (科室/病区).
import { actorOf, hospitalOf, type App } from '../../platform/http.ts';
import {
  CampusChangesSchema,
  CampusListSchema,
  CampusSchema,
  DepartmentChangesSchema,
  DepartmentListQuery,
  DepartmentListSchema,
  DepartmentSchema,
  IdParams,
  NewCampusSchema,
  NewDepartmentSchema,
} from './schema.ts';
import type { OrgService } from './service.ts';

export function structureRoutes(app: App, org: OrgService): void {
  // —— campuses ——

  app.get(
    '/api/campuses',
    {
      config: { access: 'org.read' },
      schema: {
        operationId: 'listCampuses',
        tags: ['org'],
        summary: 'Campuses (院区) of the hospital',
        response: { 200: CampusListSchema },
      },
    },
    async (request) => ({ items: await org.listCampuses(hospitalOf(request)) }),
  );

  app.post(
    '/api/campuses',
    {
      config: { access: 'org.write' },
      schema: {
        operationId: 'createCampus',
        problems: [409],
        tags: ['org'],
        summary: 'Add a campus',
        body: NewCampusSchema,
        response: { 201: CampusSchema },
      },
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
        operationId: 'updateCampus',
        problems: [404, 409],
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
        operationId: 'listDepartments',
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
        operationId: 'createDepartment',
        problems: [409, 422],
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
        operationId: 'updateDepartment',
        problems: [404, 409, 422],
        tags: ['org'],
        summary: 'Edit a department; a new parentId moves it (null: to the top of its campus)',
        params: IdParams,
        body: DepartmentChangesSchema,
        response: { 200: DepartmentSchema },
      },
    },
    async (request) => org.updateDepartment(hospitalOf(request), request.params.id, request.body, actorOf(request)),
  );
}
