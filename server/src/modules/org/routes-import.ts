// HTTP routes of the people import (人员导入) from an HR spreadsheet.
import { actorOf, hospitalOf, type App } from '../../platform/http.ts';
import { sendWorkbook, uploadedBytes, workbookAnswer } from '../../platform/spreadsheet.ts';
import { peopleImportTemplate, type PeopleImportService } from './import.ts';
import {
  ConfirmPeopleImportSchema,
  MAX_PEOPLE_FILE_BYTES,
  PeopleFileSchema,
  PeopleImportPreviewSchema,
  PeopleImportResultSchema,
} from './schema.ts';

// base64 is 4/3 of the file, plus room for the rest of the JSON body.
const PEOPLE_FILE_BODY_LIMIT = Math.ceil((MAX_PEOPLE_FILE_BYTES * 4) / 3) + 64 * 1024;

export function peopleImportRoutes(app: App, peopleImport: PeopleImportService): void {
  // —— people import (人员导入) ——

  app.post(
    '/api/people/import/preview',
    {
      config: { access: 'people.write' },
      bodyLimit: PEOPLE_FILE_BODY_LIMIT,
      schema: {
        operationId: 'previewPeopleImport',
        problems: [422],
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
        operationId: 'importPeople',
        problems: [409, 422],
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
        operationId: 'getPeopleImportTemplate',
        tags: ['people'],
        summary: 'The Excel template HR fills in (工号, 姓名, 手机, 科室, 人员类别, 入职日期)',
        response: { 200: workbookAnswer('The template workbook') },
      },
    },
    async (_request, reply) =>
      sendWorkbook(reply, await peopleImportTemplate(), 'people-template.xlsx', '人员导入模板.xlsx'),
  );
}
