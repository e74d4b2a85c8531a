// Row types of the subsidy import tables (migrations 0004_subsidies.sql, 0008_subsidy_import.sql), as Kysely sees them.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Id } from '../../db/tables.ts';

export type SubsidyBatchStatus = 'draft' | 'granted' | 'cancelled';

export interface SubsidyLineProblem {
  code: string;
  message: string;
  /** DUPLICATE_IN_FILE: the other rows of the same employee. */
  rows?: number[];
}

/** Something about the file as a whole that finance should see before granting; it blocks nothing. */
export interface SubsidyFileWarning {
  code: string;
  message: string;
  /** TOTAL_MISMATCH: the totals row, its label, what it says and what the rows it totals add up to. */
  rowNumber?: number;
  label?: string;
  expectedFen?: number;
  actualFen?: number;
  /** TOTAL_MISMATCH: rows among those totalled whose amount could not be read (not in the sum). */
  rows?: number[];
  /** MONTH_DIFFERS_FROM_TITLE: the month the sheet's title or name gives. */
  month?: string;
}

export interface SubsidyBatchesTable {
  id: Id;
  hospitalId: number;
  fileName: string;
  fileSha256: string;
  month: string | null;
  status: Generated<SubsidyBatchStatus>;
  lineCount: number;
  problemLineCount: number;
  goodTotalFen: number;
  grantedLineCount: number | null;
  grantedTotalFen: number | null;
  journalEntryId: number | null;
  createdBy: number | null;
  createdAt: ColumnType<Date, Date, never>;
  decidedBy: number | null;
  decidedAt: Date | null;
  warnings: JSONColumnType<SubsidyFileWarning[], string, string>;
  /** A batch not granted by then is deleted: a preview is not kept (README, "Previews"). Null once granted. */
  expiresAt: Date | null;
}

export interface SubsidyLinesTable {
  id: Id;
  batchId: number;
  rowNumber: number;
  employeeNo: string;
  name: string;
  amountText: string;
  monthText: string;
  personId: number | null;
  amountFen: number | null;
  month: string | null;
  problems: JSONColumnType<SubsidyLineProblem[], string, string>;
  granted: Generated<boolean>;
}

export interface SubsidyGrantsTable {
  personId: number;
  month: string;
  batchId: number;
  lineId: number;
  amountFen: number;
  grantedAt: Date;
}

export interface SubsidyTables {
  subsidyBatches: SubsidyBatchesTable;
  subsidyLines: SubsidyLinesTable;
  subsidyGrants: SubsidyGrantsTable;
}
