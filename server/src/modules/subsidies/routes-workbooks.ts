// HTTP routes of the subsidy workbooks finance downloads: the template, and a batch's lines to fix.
import { principalOf, type App } from '../../platform/http.ts';
import { sendWorkbook, workbookAnswer } from '../../platform/spreadsheet.ts';
import { BatchExportQuery, IdParams } from './schema.ts';
import type { SubsidiesService } from './service.ts';
import { subsidyBatchWorkbook, subsidyTemplate } from './workbooks.ts';

const tags = ['subsidies'];

export function subsidyWorkbookRoutes(app: App, subsidies: SubsidiesService): void {
  app.get(
    '/api/subsidies/batches/:id/lines.xlsx',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'exportSubsidyBatchLines',
        problems: [404],
        tags,
        summary: "A batch's lines with their problems as a workbook to fix and upload again",
        params: IdParams,
        querystring: BatchExportQuery,
        response: { 200: workbookAnswer('The workbook of the lines') },
      },
    },
    async (request, reply) => {
      const batch = await subsidies.getSubsidyBatch(principalOf(request).hospitalId, request.params.id);
      const workbook = await subsidyBatchWorkbook(batch, { problemsOnly: request.query.problemsOnly ?? false });
      return sendWorkbook(reply, workbook, `subsidy-batch-${batch.id}.xlsx`);
    },
  );

  app.get(
    '/api/subsidies/template.xlsx',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'getSubsidyTemplate',
        tags,
        summary: 'The Excel template finance fills in (工号, 姓名, 金额, 月份)',
        response: { 200: workbookAnswer('The template workbook') },
      },
    },
    async (_request, reply) =>
      sendWorkbook(reply, await subsidyTemplate(), 'subsidy-template.xlsx', '补贴导入模板.xlsx'),
  );
}
