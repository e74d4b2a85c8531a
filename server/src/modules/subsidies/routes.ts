// HTTP routes of monthly subsidy files (补贴导入): upload a preview, confirm it in one grant, or cancel it.
import { actorOf, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import { uploadedBytes } from '../../platform/spreadsheet.ts';
import {
  BatchListQuery,
  ConfirmSubsidyBatchSchema,
  IdParams,
  MAX_SUBSIDY_FILE_BYTES,
  SubsidyBatchDetailSchema,
  SubsidyBatchListSchema,
  SubsidyMonthsSchema,
  SubsidyBatchSchema,
  UploadSubsidyFileSchema,
} from './schema.ts';
import { subsidyWorkbookRoutes } from './routes-workbooks.ts';
import type { SubsidiesService } from './service.ts';

const tags = ['subsidies'];

export function subsidyRoutes(app: App, subsidies: SubsidiesService): void {
  subsidyWorkbookRoutes(app, subsidies);

  app.post(
    '/api/subsidies/batches',
    {
      config: { access: 'subsidy.manage' },
      bodyLimit: Math.ceil((MAX_SUBSIDY_FILE_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        operationId: 'uploadSubsidyFile',
        problems: [409, 422],
        tags,
        summary: 'Upload a subsidy file (.xlsx or .csv, base64) and get its preview as a draft batch',
        description:
          'The draft can be confirmed until its expiresAt (24 hours); a draft never granted is then deleted and never listed in the history.',
        body: UploadSubsidyFileSchema,
        response: { 201: SubsidyBatchDetailSchema },
      },
    },
    async (request, reply) => {
      const { fileName, contentBase64, month } = request.body;
      const bytes = uploadedBytes(contentBase64, MAX_SUBSIDY_FILE_BYTES);
      const batch = await subsidies.previewSubsidyBatch(
        { hospitalId: principalOf(request).hospitalId, fileName, bytes, month },
        actorOf(request),
      );
      return reply.code(201).send(batch);
    },
  );

  app.get(
    '/api/subsidies/batches',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'listSubsidyBatches',
        tags,
        summary: 'Granted subsidy batches, newest first (status=draft: previews that can still be confirmed)',
        querystring: BatchListQuery,
        response: { 200: SubsidyBatchListSchema },
      },
    },
    async (request) => ({
      items: await subsidies.listSubsidyBatches(principalOf(request).hospitalId, request.query),
    }),
  );

  app.get(
    '/api/subsidies/months',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'listSubsidyMonths',
        tags,
        summary: 'Subsidy granted per month, from the journal (any path that granted it), newest first',
        response: { 200: SubsidyMonthsSchema },
      },
    },
    async (request) => ({ items: await subsidies.grantedByMonth(principalOf(request).hospitalId) }),
  );

  app.get(
    '/api/subsidies/batches/:id',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'getSubsidyBatch',
        problems: [404],
        tags,
        summary: 'A batch with every line, its problems and the totals',
        params: IdParams,
        response: { 200: SubsidyBatchDetailSchema },
      },
    },
    async (request) => subsidies.getSubsidyBatch(principalOf(request).hospitalId, request.params.id),
  );

  app.post(
    '/api/subsidies/batches/:id/confirm',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'confirmSubsidyBatch',
        problems: [404, 409, 422],
        tags,
        summary: 'Grant a draft batch in one transaction (Idempotency-Key header required)',
        description:
          'A batch with problem lines is refused (409 BATCH_HAS_PROBLEMS) unless skipProblemRows is true; then only the good lines are granted. Confirming a granted batch returns it unchanged; an expired draft is refused (409 BATCH_EXPIRED).',
        params: IdParams,
        body: ConfirmSubsidyBatchSchema,
        response: { 200: SubsidyBatchSchema },
      },
    },
    async (request) =>
      subsidies.grantSubsidyBatch(
        {
          hospitalId: principalOf(request).hospitalId,
          batchId: request.params.id,
          skipProblemRows: request.body.skipProblemRows ?? false,
          idempotencyKey: idempotencyKeyOf(request),
        },
        actorOf(request),
      ),
  );

  app.post(
    '/api/subsidies/batches/:id/cancel',
    {
      config: { access: 'subsidy.manage' },
      schema: {
        operationId: 'cancelSubsidyBatch',
        problems: [404, 409],
        tags,
        summary: 'Cancel a draft batch',
        params: IdParams,
        response: { 200: SubsidyBatchSchema },
      },
    },
    async (request) =>
      subsidies.cancelSubsidyBatch(principalOf(request).hospitalId, request.params.id, actorOf(request)),
  );
}
