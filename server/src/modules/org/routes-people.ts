// HTTP routes of people and the roles they hold.
import { actorOf, hospitalOf, type App } from '../../platform/http.ts';
import {
  IdParams,
  NewPersonSchema,
  PersonChangesSchema,
  PersonDetailSchema,
  PersonListQuery,
  PersonPageSchema,
  PersonRolesSchema,
  RoleAssignmentSchema,
  RoleListSchema,
} from './schema.ts';
import type { OrgService } from './service.ts';

export function peopleRoutes(app: App, org: OrgService): void {
  // —— people ——

  app.get(
    '/api/people',
    {
      config: { access: 'people.read' },
      schema: {
        operationId: 'listPeople',
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
        operationId: 'createPerson',
        problems: [409, 422],
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
      schema: {
        operationId: 'getPerson',
        problems: [404],
        tags: ['people'],
        summary: 'One person',
        params: IdParams,
        response: { 200: PersonDetailSchema },
      },
    },
    async (request) => org.getPerson(hospitalOf(request), request.params.id),
  );

  app.patch(
    '/api/people/:id',
    {
      config: { access: 'people.write' },
      schema: {
        operationId: 'updatePerson',
        problems: [404, 409, 422],
        tags: ['people'],
        summary: "Edit a person; status 'left' records leaving (leftOn defaults to today), 'active' brings them back",
        params: IdParams,
        body: PersonChangesSchema,
        response: { 200: PersonDetailSchema },
      },
    },
    async (request) => org.updatePerson(hospitalOf(request), request.params.id, request.body, actorOf(request)),
  );

  // —— roles ——

  app.get(
    '/api/roles',
    {
      config: { access: 'people.read' },
      schema: {
        operationId: 'listRoles',
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
        operationId: 'assignRoles',
        problems: [404, 409, 422],
        tags: ['people'],
        summary: 'Replace the roles a person holds',
        params: IdParams,
        body: RoleAssignmentSchema,
        response: { 200: PersonRolesSchema },
      },
    },
    async (request) => org.assignRoles(hospitalOf(request), request.params.id, request.body.roles, actorOf(request)),
  );
}
