// HTTP routes of the organisation model: parse, authorise (config.access), call OrgService, reply.
import { personOf, type App } from '../../platform/http.ts';
import type { PeopleImportService } from './import.ts';
import { peopleImportRoutes } from './routes-import.ts';
import { peopleRoutes } from './routes-people.ts';
import { structureRoutes } from './routes-structure.ts';
import { AuditPageSchema, AuditQuery, PayeeQuery, PayeeSchema, ProfileSchema } from './schema.ts';
import type { OrgService } from './service.ts';

export function orgRoutes(app: App, org: OrgService, peopleImport: PeopleImportService): void {
  structureRoutes(app, org);
  peopleRoutes(app, org);
  peopleImportRoutes(app, peopleImport);

  // —— the signed-in person ——

  app.get(
    '/api/me/profile',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'getMyProfile',
        problems: [404],
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
        operationId: 'findPayee',
        problems: [404],
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
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'The audit log, newest first; filter by entity (e.g. person) and entityId for one record',
        querystring: AuditQuery,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => org.auditHistory(request.query),
  );
}
