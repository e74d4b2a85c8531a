// Row types of the subsidy import tables (migration 0004_subsidies.sql), as Kysely sees them.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Id } from '../../db/tables.ts';

export type SubsidyBatchStatus = 'draft' | 'granted' | 'cancelled';

export interface SubsidyLineProblem {
  code: string;
  message: string;
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
