import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { MoneyFormatError, parseYuan } from '../../platform/money.ts';
import { parseMonth, readSubsidyFile, sameName, type SubsidyFileRow } from './file.ts';
import type { OrgDirectory } from '../org/index.ts';
import * as q from './queries.ts';
import type { SubsidyBatchStatus, SubsidyLineProblem, SubsidyTables } from './tables.ts';

/**
 * What a line of the file can be wrong about. Every code blocks the line: a batch with problem lines
 * is granted only when finance confirms with `skipProblemRows`, and then only its good lines.
 */
export const LINE_PROBLEMS = {
  EMPLOYEE_NO_MISSING: 'The employee number (工号) is empty',
  EMPLOYEE_UNKNOWN: 'No person has this employee number',
  NAME_MISMATCH: 'The name does not match the person with this employee number',
  PERSON_LEFT: 'This person has left',
  AMOUNT_MISSING: 'The amount (金额) is empty',
  AMOUNT_MALFORMED: 'The amount is not a number of yuan such as 300 or 300.00',
  AMOUNT_TOO_PRECISE: 'The amount has more than two decimals (fen)',
  AMOUNT_NOT_POSITIVE: 'The amount must be more than zero',
  MONTH_MISSING: 'No month: give a 月份 column or the month of the whole batch',
  MONTH_MALFORMED: 'The month is not a month such as 2026-03 or 2026年3月',
  MONTH_MIXED: 'The month differs from the month of the batch',
  DUPLICATE_IN_FILE: 'This person appears more than once in the file',
  ALREADY_GRANTED: 'This person was already granted a subsidy for this month',
} as const;
export type LineProblemCode = keyof typeof LINE_PROBLEMS;

/** What the subsidy import needs from the ledger: one journal entry for the whole batch. */
export interface SubsidyLedger {
  grantSubsidies(
    trx: Tx,
    grant: { batchId: number; month: string; lines: { personId: number; amountFen: number }[] },
    actor: Actor,
  ): Promise<{ entryId: number }>;
}

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

const problem = (code: LineProblemCode, detail?: string): SubsidyLineProblem => ({
  code,
  message: detail ? `${LINE_PROBLEMS[code]}: ${detail}` : LINE_PROBLEMS[code],
});

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
});

function parseAmount(text: string): { fen: number | null; problem?: SubsidyLineProblem } {
  if (text === '') return { fen: null, problem: problem('AMOUNT_MISSING') };
  try {
    const fen = parseYuan(text);
    return fen > 0 ? { fen } : { fen: null, problem: problem('AMOUNT_NOT_POSITIVE', text) };
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    const tooPrecise = /^[¥￥]?\s*\d[\d,]*\.\d{3,}\s*元?$/.test(text.trim());
    return { fen: null, problem: problem(tooPrecise ? 'AMOUNT_TOO_PRECISE' : 'AMOUNT_MALFORMED', text) };
  }
}

/**
 * Monthly subsidy import (补贴导入): an uploaded file becomes a draft batch whose every line shows its
 * problems; finance confirms, and the good lines are granted in one transaction and one journal entry.
 */
export class SubsidiesService {
  constructor(
    private readonly db: Kysely<SubsidyTables & AuditTables & IdempotencyTables>,
    private readonly clock: Clock,
    private readonly ledger: SubsidyLedger,
    /** Who the people of a file are (the org module's directory). */
    private readonly directory: Pick<OrgDirectory, 'byEmployeeNo' | 'people'>,
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
    const lines = await this.checkRows(upload.hospitalId, file.rows, batchMonth, file.columns.includes('name'));
    const month = batchMonth ?? lines.find((l) => l.month)?.month ?? null;
    const good = lines.filter((l) => !l.problems.length);
    const batchId = await this.db.transaction().execute(async (trx) => {
      const { id } = await q.insertBatch(trx, {
        hospitalId: upload.hospitalId,
        fileName: upload.fileName.slice(0, 200),
        fileSha256,
        month,
        lineCount: lines.length,
        problemLineCount: lines.length - good.length,
        goodTotalFen: good.reduce((sum, l) => sum + (l.amountFen ?? 0), 0),
        createdBy: actor.personId,
        createdAt: this.clock.now(),
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

  async listSubsidyBatches(
    hospitalId: number,
    options: { limit?: number; beforeId?: number; status?: SubsidyBatchStatus; month?: string } = {},
  ): Promise<SubsidyBatchSummary[]> {
    const rows = await q.listBatches(this.db, hospitalId, { ...options, limit: options.limit ?? 50 });
    return rows.map(toSummary);
  }

  async getSubsidyBatch(hospitalId: number, batchId: number): Promise<SubsidyBatchDetail> {
    const batch = await q.findBatch(this.db, batchId);
    if (!batch || batch.hospitalId !== hospitalId) throw notFound('subsidy batch', batchId);
    const lines = await q.listLines(this.db, batchId);
    const problemCounts: Record<string, number> = {};
    for (const line of lines) for (const p of line.problems) problemCounts[p.code] = (problemCounts[p.code] ?? 0) + 1;
    return { ...toSummary(batch), problemCounts, lines: lines.map(({ id: _id, ...line }) => line) };
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
        // The ledger names people; finance fixes rows.
        if (error instanceof AppError && error.code === 'NO_WALLET' && Array.isArray(error.details['personIds'])) {
          const missing = new Set(error.details['personIds'] as number[]);
          const rows = lines.filter((l) => missing.has(l.personId as number)).map((l) => l.rowNumber);
          throw conflict('NO_WALLET', 'Some people on this batch have no wallet yet; nothing was granted', { rows });
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
    return toSummary({ ...batch, ...granted, status: 'granted' });
  }

  private async lockBatch(trx: Tx, hospitalId: number, batchId: number): Promise<BatchRow> {
    const batch = await q.findBatch(trx, batchId, { forUpdate: true });
    if (!batch || batch.hospitalId !== hospitalId) throw notFound('subsidy batch', batchId);
    return batch;
  }

  private async checkRows(
    hospitalId: number,
    rows: SubsidyFileRow[],
    batchMonth: string | null,
    hasNameColumn: boolean,
  ): Promise<q.NewLine[]> {
    const people = await this.directory.byEmployeeNo(hospitalId, rows.map((r) => r.employeeNo).filter(Boolean));
    // The batch's month: the one given with the upload, or else the first readable month in the file.
    const month = batchMonth ?? rows.map((r) => parseMonth(r.month)).find((m) => m !== null) ?? null;
    const grants = month
      ? new Set(
          (
            await q.findGrants(
              this.db,
              month,
              [...people.values()].map((p) => p.id),
            )
          ).map((g) => g.personId),
        )
      : new Set<number>();
    const rowsByEmployee = new Map<string, number[]>();
    for (const row of rows) {
      if (row.employeeNo)
        rowsByEmployee.set(row.employeeNo, [...(rowsByEmployee.get(row.employeeNo) ?? []), row.rowNumber]);
    }

    return rows.map((row) => {
      const problems: SubsidyLineProblem[] = [];
      const person = row.employeeNo ? people.get(row.employeeNo) : undefined;
      if (!row.employeeNo) problems.push(problem('EMPLOYEE_NO_MISSING'));
      else if (!person) problems.push(problem('EMPLOYEE_UNKNOWN', row.employeeNo));
      else {
        if (hasNameColumn && !sameName(row.name, person.name)) {
          problems.push(problem('NAME_MISMATCH', `${row.name || '(empty)'} ≠ ${person.name}`));
        }
        if (person.status !== 'active') problems.push(problem('PERSON_LEFT'));
      }
      const amount = parseAmount(row.amount);
      if (amount.problem) problems.push(amount.problem);

      const rowMonth = row.month ? parseMonth(row.month) : null;
      if (row.month && !rowMonth) problems.push(problem('MONTH_MALFORMED', row.month));
      else if (!rowMonth && !month) problems.push(problem('MONTH_MISSING'));
      else if (rowMonth && month && rowMonth !== month) problems.push(problem('MONTH_MIXED', `${rowMonth} ≠ ${month}`));

      const sameEmployee = rowsByEmployee.get(row.employeeNo) ?? [];
      if (sameEmployee.length > 1) {
        problems.push(
          problem('DUPLICATE_IN_FILE', `rows ${sameEmployee.filter((n) => n !== row.rowNumber).join(', ')} too`),
        );
      }
      // Granted for the batch's month; a row for another month is already refused as MONTH_MIXED.
      if (person && grants.has(person.id) && (!rowMonth || rowMonth === month))
        problems.push(problem('ALREADY_GRANTED', month ?? ''));
      return {
        rowNumber: row.rowNumber,
        employeeNo: row.employeeNo.slice(0, 64),
        name: row.name.slice(0, 64),
        amountText: row.amount.slice(0, 64),
        monthText: row.month.slice(0, 32),
        personId: person?.id ?? null,
        amountFen: amount.fen,
        month: rowMonth ?? month,
        problems,
      };
    });
  }
}
