// All SQL of the subsidy import. Each function takes the database or a transaction.
import type { Db as ModuleDb } from '../../db/database.ts';
import type { SubsidyBatchStatus, SubsidyFileWarning, SubsidyLineProblem, SubsidyTables } from './tables.ts';

type Db = ModuleDb<SubsidyTables>;

const BATCH_COLUMNS = [
  'id',
  'hospitalId',
  'fileName',
  'fileSha256',
  'month',
  'status',
  'lineCount',
  'problemLineCount',
  'goodTotalFen',
  'grantedLineCount',
  'grantedTotalFen',
  'journalEntryId',
  'createdBy',
  'createdAt',
  'decidedBy',
  'decidedAt',
  'warnings',
  'expiresAt',
] as const;

const LINE_COLUMNS = [
  'id',
  'rowNumber',
  'employeeNo',
  'name',
  'amountText',
  'monthText',
  'personId',
  'amountFen',
  'month',
  'problems',
  'granted',
] as const;

/** Grants already made for these people in a month, whichever batch made them. */
export function findGrants(db: Db, month: string, personIds: number[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('subsidyGrants')
    .select(['personId', 'batchId', 'amountFen'])
    .where('month', '=', month)
    .where('personId', 'in', personIds)
    .execute();
}

export function findGrantedBatchByFile(db: Db, hospitalId: number, fileSha256: string) {
  return db
    .selectFrom('subsidyBatches')
    .select(['id'])
    .where('hospitalId', '=', hospitalId)
    .where('fileSha256', '=', fileSha256)
    .where('status', '=', 'granted')
    .executeTakeFirst();
}

export function insertBatch(
  db: Db,
  values: {
    hospitalId: number;
    fileName: string;
    fileSha256: string;
    month: string | null;
    lineCount: number;
    problemLineCount: number;
    goodTotalFen: number;
    createdBy: number | null;
    createdAt: Date;
    warnings: SubsidyFileWarning[];
    expiresAt: Date;
  },
) {
  return db
    .insertInto('subsidyBatches')
    .values({ ...values, warnings: JSON.stringify(values.warnings) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Deletes the hospital's batches that were never granted and whose expiry has passed, lines and all. */
export function deleteExpiredBatches(db: Db, hospitalId: number, now: Date) {
  return db
    .deleteFrom('subsidyBatches')
    .where('hospitalId', '=', hospitalId)
    .where('status', '<>', 'granted')
    .where('expiresAt', '<=', now)
    .execute();
}

export interface NewLine {
  rowNumber: number;
  employeeNo: string;
  name: string;
  amountText: string;
  monthText: string;
  personId: number | null;
  amountFen: number | null;
  month: string | null;
  problems: SubsidyLineProblem[];
}

export async function insertLines(db: Db, batchId: number, lines: NewLine[]) {
  // Chunks keep each statement well under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < lines.length; i += 1000) {
    await db
      .insertInto('subsidyLines')
      .values(lines.slice(i, i + 1000).map((l) => ({ ...l, batchId, problems: JSON.stringify(l.problems) })))
      .execute();
  }
}

export function findBatch(db: Db, batchId: number, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom('subsidyBatches')
    .select(BATCH_COLUMNS)
    .where('id', '=', batchId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** Granted batches unless a status is asked for; drafts only while they can still be confirmed. */
export function listBatches(
  db: Db,
  hospitalId: number,
  now: Date,
  options: {
    limit: number;
    beforeId?: number | undefined;
    status?: SubsidyBatchStatus | undefined;
    month?: string | undefined;
  },
) {
  const status = options.status ?? 'granted';
  return db
    .selectFrom('subsidyBatches')
    .select(BATCH_COLUMNS)
    .where('hospitalId', '=', hospitalId)
    .where('status', '=', status)
    .$if(status !== 'granted', (qb) => qb.where('expiresAt', '>', now))
    .$if(options.beforeId !== undefined, (qb) => qb.where('id', '<', options.beforeId ?? 0))
    .$if(options.month !== undefined, (qb) => qb.where('month', '=', options.month ?? ''))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

export function listLines(db: Db, batchId: number) {
  return db
    .selectFrom('subsidyLines')
    .select(LINE_COLUMNS)
    .where('batchId', '=', batchId)
    .orderBy('rowNumber')
    .execute();
}

export async function insertGrants(
  db: Db,
  grants: { personId: number; month: string; batchId: number; lineId: number; amountFen: number; grantedAt: Date }[],
) {
  for (let i = 0; i < grants.length; i += 1000) {
    await db
      .insertInto('subsidyGrants')
      .values(grants.slice(i, i + 1000))
      .execute();
  }
}

export function markLinesGranted(db: Db, batchId: number, lineIds: number[]) {
  return db
    .updateTable('subsidyLines')
    .set({ granted: true })
    .where('batchId', '=', batchId)
    .where('id', 'in', lineIds)
    .execute();
}

export function markBatchGranted(
  db: Db,
  batchId: number,
  values: {
    grantedLineCount: number;
    grantedTotalFen: number;
    journalEntryId: number | null;
    decidedBy: number | null;
    decidedAt: Date;
  },
) {
  return db
    .updateTable('subsidyBatches')
    .set({ ...values, status: 'granted', expiresAt: null })
    .where('id', '=', batchId)
    .execute();
}

export function markBatchCancelled(db: Db, batchId: number, values: { decidedBy: number | null; decidedAt: Date }) {
  return db
    .updateTable('subsidyBatches')
    .set({ ...values, status: 'cancelled' })
    .where('id', '=', batchId)
    .execute();
}
