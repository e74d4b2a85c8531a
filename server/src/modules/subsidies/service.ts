import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import type { OrgDirectory } from '../org/index.ts';
import type { WalletsService } from '../wallets/index.ts';
import { batchMonthOf, checkLines, fileWarnings, type PersonOnFile } from './check.ts';
import { employeeNoKey, parseMonth, readSubsidyFile } from './file.ts';
import * as q from './queries.ts';
import type { SubsidyBatchStatus, SubsidyFileWarning, SubsidyLineProblem, SubsidyTables } from './tables.ts';

/** What the subsidy import needs from the ledger: one journal entry for the whole batch. */
export interface SubsidyLedger {
  grantSubsidies(
    trx: Tx,
    grant: { batchId: number; month: string; lines: { personId: number; amountFen: number }[] },
    actor: Actor,
  ): Promise<{ entryId: number }>;
  /** What the journal says was granted per month, however it was granted. */
  subsidyGrantedByMonth(hospitalId: number): Promise<SubsidyMonth[]>;
}

export interface SubsidyMonth {
  /** YYYY-MM: the month the grant is for. */
  month: string;
  totalFen: number;
  people: number;
  /** Journal entries that granted it (one per batch, reversals not counted). */
  entries: number;
}

/** How long a preview can be confirmed; after that it is deleted (see the README, "Previews"). */
export const PREVIEW_TTL_MS = 24 * 60 * 60 * 1000;

// Ledger refusals that name people whose wallet cannot take the grant (changed since the preview).
const WALLET_REFUSALS = new Set(['NO_WALLET', 'WALLET_FROZEN', 'WALLET_CLOSED']);

export interface SubsidyBatchSummary {
  id: number;
  fileName: string;
  month: string | null;
  status: SubsidyBatchStatus;
  lineCount: number;
  problemLineCount: number;
  goodLineCount: number;
  goodTotalFen: number;
  grantedLineCount: number | null;
  grantedTotalFen: number | null;
  journalEntryId: number | null;
  createdBy: number | null;
  createdAt: string;
  decidedBy: number | null;
  decidedAt: string | null;
  /** Until when a draft can be confirmed (it is deleted after); null once granted. */
  expiresAt: string | null;
}

export interface SubsidyLineView {
  rowNumber: number;
  employeeNo: string;
  name: string;
  amountText: string;
  monthText: string;
  personId: number | null;
  amountFen: number | null;
  month: string | null;
  problems: SubsidyLineProblem[];
  granted: boolean;
}

export interface SubsidyBatchDetail extends SubsidyBatchSummary {
  /** About the file as a whole (a totals row that does not add up…); they block nothing. */
  warnings: SubsidyFileWarning[];
  /** How many lines carry each problem code. */
  problemCounts: Record<string, number>;
  lines: SubsidyLineView[];
}

export interface SubsidyUpload {
  hospitalId: number;
  fileName: string;
  bytes: Uint8Array;
  /** The month of the whole batch, when the file has no month column (or to check it against). */
  month?: string | undefined;
}

export interface SubsidyConfirmation {
  hospitalId: number;
  batchId: number;
  /** Grant the good lines of a batch that has problem lines, leaving those out. */
  skipProblemRows: boolean;
  idempotencyKey: string;
}

type BatchRow = NonNullable<Awaited<ReturnType<typeof q.findBatch>>>;

const UNIQUE_VIOLATION = '23505';
/** The unique index a database error names (pg gives `constraint`; the message names it too), or null. */
const violatedIndex = (error: unknown): string | null => {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === UNIQUE_VIOLATION ? `${String(e.constraint ?? '')} ${String(e.message ?? '')}` : null;
};

const toSummary = (row: BatchRow): SubsidyBatchSummary => ({
  id: row.id,
  fileName: row.fileName,
  month: row.month,
  status: row.status,
  lineCount: row.lineCount,
  problemLineCount: row.problemLineCount,
  goodLineCount: row.lineCount - row.problemLineCount,
  goodTotalFen: row.goodTotalFen,
  grantedLineCount: row.grantedLineCount,
  grantedTotalFen: row.grantedTotalFen,
  journalEntryId: row.journalEntryId,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  decidedBy: row.decidedBy,
  decidedAt: row.decidedAt?.toISOString() ?? null,
  expiresAt: row.expiresAt?.toISOString() ?? null,
});

/**
 * Monthly subsidy import (补贴导入): an uploaded file becomes a draft batch (the preview) whose every
 * line shows its problems; finance confirms, and the good lines are granted in one transaction and one
 * journal entry. A draft not confirmed within PREVIEW_TTL_MS is deleted.
 */
export class SubsidiesService {
  constructor(
    private readonly db: Kysely<SubsidyTables & AuditTables & IdempotencyTables>,
    private readonly clock: Clock,
    private readonly ledger: SubsidyLedger,
    /** Who the people of a file are (the org module's directory). */
    private readonly directory: Pick<OrgDirectory, 'byEmployeeNo' | 'people'>,
    /** Whether their wallets can take a grant. */
    private readonly wallets: Pick<WalletsService, 'statuses'>,
  ) {}

  /** Reads and checks a file row by row and stores it as a draft batch. Nothing is granted. */
  async previewSubsidyBatch(upload: SubsidyUpload, actor: Actor): Promise<SubsidyBatchDetail> {
    const batchMonth = upload.month?.trim() ? parseMonth(upload.month) : null;
    if (upload.month?.trim() && !batchMonth) {
      throw invalid('MONTH_INVALID', 'The month of the batch is not a month such as 2026-03', [
        { path: '/body/month', message: 'expected YYYY-MM' },
      ]);
    }
    // The month given with the upload is part of the identity: the same sheet for another month is another batch.
    const fileSha256 = createHash('sha256')
      .update(upload.bytes)
      .update(`\0${batchMonth ?? ''}`)
      .digest('hex');
    const granted = await q.findGrantedBatchByFile(this.db, upload.hospitalId, fileSha256);
    if (granted) {
      throw conflict('FILE_ALREADY_GRANTED', 'This file was already imported and granted', { batchId: granted.id });
    }
    const file = await readSubsidyFile(upload.fileName, upload.bytes);
    if (!file.rows.length) throw invalid('FILE_EMPTY', 'The file has a header row but no data rows');
    const month = batchMonthOf(file, batchMonth);
    const people = await this.peopleOnFile(
      upload.hospitalId,
      file.rows.map((r) => employeeNoKey(r.employeeNo)),
    );
    const personIds = [...people.values()].map((p) => p.id);
    const grants = month ? await q.findGrants(this.db, month, personIds) : [];
    const lines = checkLines(file, { month, people, granted: new Set(grants.map((g) => g.personId)) });
    const good = lines.filter((l) => !l.problems.length);
    const now = this.clock.now();
    const batchId = await this.db.transaction().execute(async (trx) => {
      // Previews nobody confirmed go when the next one comes: no job to schedule, nothing piles up.
      await q.deleteExpiredBatches(trx, upload.hospitalId, now);
      const { id } = await q.insertBatch(trx, {
        hospitalId: upload.hospitalId,
        fileName: upload.fileName.slice(0, 200),
        fileSha256,
        month,
        lineCount: lines.length,
        problemLineCount: lines.length - good.length,
        goodTotalFen: good.reduce((sum, l) => sum + (l.amountFen ?? 0), 0),
        createdBy: actor.personId,
        createdAt: now,
        warnings: fileWarnings(file, month),
        expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS),
      });
      await q.insertLines(trx, id, lines);
      await recordAudit(trx, actor, {
        action: 'subsidy_batch.preview',
        entity: 'subsidy_batch',
        entityId: id,
        after: { fileName: upload.fileName, month, lines: lines.length, problemLines: lines.length - good.length },
      });
      return id;
    });
    return this.getSubsidyBatch(upload.hospitalId, batchId);
  }

  /**
   * Subsidy granted per month, from the journal: the figure finance reconciles against, whatever path
   * granted the money (an uploaded file, the demo, a later integration), net of reversals.
   */
  async grantedByMonth(hospitalId: number): Promise<SubsidyMonth[]> {
    return this.ledger.subsidyGrantedByMonth(hospitalId);
  }

  async listSubsidyBatches(
    hospitalId: number,
    options: { limit?: number; beforeId?: number; status?: SubsidyBatchStatus; month?: string } = {},
  ): Promise<SubsidyBatchSummary[]> {
    const rows = await q.listBatches(this.db, hospitalId, this.clock.now(), { ...options, limit: options.limit ?? 50 });
    return rows.map(toSummary);
  }

  async getSubsidyBatch(hospitalId: number, batchId: number): Promise<SubsidyBatchDetail> {
    const batch = await q.findBatch(this.db, batchId);
    if (!batch || batch.hospitalId !== hospitalId) throw notFound('subsidy batch', batchId);
    const lines = await q.listLines(this.db, batchId);
    const problemCounts: Record<string, number> = {};
    for (const line of lines) for (const p of line.problems) problemCounts[p.code] = (problemCounts[p.code] ?? 0) + 1;
    return {
      ...toSummary(batch),
      warnings: batch.warnings,
      problemCounts,
      lines: lines.map(({ id: _id, ...line }) => line),
    };
  }

  /**
   * Grants a draft batch: every good line in one transaction and one journal entry. Confirming a
   * granted batch again returns it as it is (nothing is granted twice); so does a retry with the same
   * Idempotency-Key, and a concurrent confirm waits on the batch's row lock and finds it granted.
   */
  async grantSubsidyBatch(confirmation: SubsidyConfirmation, actor: Actor): Promise<SubsidyBatchSummary> {
    const { hospitalId, batchId, skipProblemRows } = confirmation;
    try {
      const { result } = await withIdempotency(
        this.db,
        {
          scope: `subsidy-batch-confirm:${hospitalId}`,
          key: confirmation.idempotencyKey,
          request: { batchId, skipProblemRows },
          now: this.clock.now(),
        },
        (trx) => this.grantInTransaction(trx, confirmation, actor),
      );
      return result;
    } catch (error) {
      // Two different drafts granting the same person and month, or the same file, at the same moment:
      // the database keeps one; the other is refused whole.
      const index = violatedIndex(error);
      if (index?.includes('subsidy_batches_granted_file_idx')) {
        throw conflict('FILE_ALREADY_GRANTED', 'This file was granted by another batch meanwhile');
      }
      if (index?.includes('subsidy_grants_pkey')) {
        throw conflict(
          'BATCH_STALE',
          'Another batch granted some of these people for this month meanwhile; upload again',
        );
      }
      throw error;
    }
  }

  async cancelSubsidyBatch(hospitalId: number, batchId: number, actor: Actor): Promise<SubsidyBatchSummary> {
    return this.db.transaction().execute(async (trx) => {
      const batch = await this.lockBatch(trx, hospitalId, batchId);
      if (batch.status === 'cancelled') return toSummary(batch);
      if (batch.status !== 'draft') throw conflict('BATCH_NOT_DRAFT', 'A granted batch cannot be cancelled');
      const now = this.clock.now();
      await q.markBatchCancelled(trx, batchId, { decidedBy: actor.personId, decidedAt: now });
      await recordAudit(trx, actor, { action: 'subsidy_batch.cancel', entity: 'subsidy_batch', entityId: batchId });
      return toSummary({ ...batch, status: 'cancelled', decidedBy: actor.personId, decidedAt: now });
    });
  }

  private async grantInTransaction(
    trx: Tx,
    { hospitalId, batchId, skipProblemRows }: SubsidyConfirmation,
    actor: Actor,
  ): Promise<SubsidyBatchSummary> {
    const batch = await this.lockBatch(trx, hospitalId, batchId);
    if (batch.status === 'granted') return toSummary(batch);
    if (batch.status === 'cancelled') throw conflict('BATCH_CANCELLED', 'This batch was cancelled');
    if (batch.expiresAt && batch.expiresAt <= this.clock.now()) {
      throw conflict('BATCH_EXPIRED', 'This preview has expired; upload the file again');
    }
    if (batch.problemLineCount > 0 && !skipProblemRows) {
      throw conflict(
        'BATCH_HAS_PROBLEMS',
        `Lines with problems: ${batch.problemLineCount}. Fix the file and upload it again, or confirm leaving them out`,
        { problemLineCount: batch.problemLineCount },
      );
    }
    const month = batch.month;
    const lines = (await q.listLines(trx, batchId)).filter((l) => !l.problems.length);
    if (!month || !lines.length) throw conflict('BATCH_EMPTY', 'This batch has no line that can be granted');

    // The preview may be hours old: check again, under the batch lock, what could have changed since.
    const personIds = lines.map((l) => l.personId as number);
    const left = new Set(
      [...(await this.directory.people(personIds, trx)).values()].filter((p) => p.status !== 'active').map((p) => p.id),
    );
    const already = new Set((await q.findGrants(trx, month, personIds)).map((g) => g.personId));
    const stale = lines
      .filter((l) => left.has(l.personId as number) || already.has(l.personId as number))
      .map((l) => ({
        rowNumber: l.rowNumber,
        code: already.has(l.personId as number) ? 'ALREADY_GRANTED' : 'PERSON_LEFT',
      }));
    if (stale.length) {
      throw conflict('BATCH_STALE', 'Some lines changed since the preview; upload the file again', { rows: stale });
    }

    const now = this.clock.now();
    await q.insertGrants(
      trx,
      lines.map((l) => ({
        personId: l.personId as number,
        month,
        batchId,
        lineId: l.id,
        amountFen: l.amountFen as number,
        grantedAt: now,
      })),
    );
    const { entryId } = await this.ledger
      .grantSubsidies(
        trx,
        {
          batchId,
          month,
          lines: lines.map((l) => ({ personId: l.personId as number, amountFen: l.amountFen as number })),
        },
        actor,
      )
      .catch((error: unknown) => {
        // A wallet closed or frozen since the preview: the ledger names people, finance fixes rows.
        if (error instanceof AppError && WALLET_REFUSALS.has(error.code) && Array.isArray(error.details['personIds'])) {
          const refused = new Set(error.details['personIds'] as number[]);
          const rows = lines
            .filter((l) => refused.has(l.personId as number))
            .map((l) => ({ rowNumber: l.rowNumber, code: error.code }));
          throw conflict('BATCH_STALE', 'Some lines changed since the preview; upload the file again', { rows });
        }
        throw error;
      });
    const totalFen = lines.reduce((sum, l) => sum + (l.amountFen as number), 0);
    await q.markLinesGranted(
      trx,
      batchId,
      lines.map((l) => l.id),
    );
    const granted = {
      grantedLineCount: lines.length,
      grantedTotalFen: totalFen,
      journalEntryId: entryId,
      decidedBy: actor.personId,
      decidedAt: now,
    };
    await q.markBatchGranted(trx, batchId, granted);
    await recordAudit(trx, actor, {
      action: 'subsidy_batch.grant',
      entity: 'subsidy_batch',
      entityId: batchId,
      after: { month, lines: lines.length, totalFen, journalEntryId: entryId, skippedLines: batch.problemLineCount },
    });
    return toSummary({ ...batch, ...granted, status: 'granted', expiresAt: null });
  }

  private async lockBatch(trx: Tx, hospitalId: number, batchId: number): Promise<BatchRow> {
    const batch = await q.findBatch(trx, batchId, { forUpdate: true });
    if (!batch || batch.hospitalId !== hospitalId) throw notFound('subsidy batch', batchId);
    return batch;
  }

  /** The people the file's employee numbers name, with their wallet's status (each module answers for its own). */
  private async peopleOnFile(hospitalId: number, employeeNos: string[]): Promise<Map<string, PersonOnFile>> {
    const found = [...(await this.directory.byEmployeeNo(hospitalId, employeeNos.filter(Boolean))).values()];
    const wallets = await this.wallets.statuses(found.map((p) => p.id));
    return new Map(found.map((p) => [p.employeeNo, { ...p, wallet: wallets.get(p.id) ?? 'none' }]));
  }
}
