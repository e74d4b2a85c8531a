// HTTP routes of the ledger core: the journal browser for auditors, and reversals for finance.
import { actorOf, principalOf, type App } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import { IdParams } from '../../platform/schema.ts';
import { EntriesQuery, JournalPageSchema, ReversalBody, ReversalSchema } from './schema.ts';
import type { LedgerService } from './service.ts';

export function ledgerRoutes(app: App, ledger: LedgerService): void {
  app.get(
    '/api/ledger/entries',
    {
      config: { access: 'ledger.read' },
      schema: {
        operationId: 'listJournalEntries',
        problems: [422],
        tags: ['ledger'],
        summary: 'The journal: entries with their postings, newest first',
        querystring: EntriesQuery,
        response: { 200: JournalPageSchema },
      },
    },
    async (request) => {
      const { cursor, kind, ...filters } = request.query;
      return ledger.journal({ ...filters, kinds: kind, hospitalId: principalOf(request).hospitalId }, cursor ?? null);
    },
  );

  app.post(
    '/api/ledger/entries/:id/reversal',
    {
      config: { access: 'ledger.reverse' },
      schema: {
        operationId: 'reverseJournalEntry',
        problems: [404, 409, 422],
        tags: ['ledger'],
        summary: 'Correct an entry: a new entry with every posting negated, once. Send an Idempotency-Key',
        params: IdParams,
        body: ReversalBody,
        response: { 200: ReversalSchema },
      },
    },
    async (request) =>
      ledger.requestReversal(
        {
          entryId: request.params.id,
          reason: request.body.reason,
          hospitalId: principalOf(request).hospitalId,
          idempotencyKey: idempotencyKeyOf(request),
        },
        actorOf(request),
      ),
  );
}
