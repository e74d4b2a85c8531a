// Reading a subsidy file (补贴发放表): the columns finance fills in, read by platform/spreadsheet.ts,
// and the values only subsidies have (a month). The service checks every value.
import { readSpreadsheet, type Sheet, type SheetRow } from '../../platform/spreadsheet.ts';

export type SubsidyColumn = 'employeeNo' | 'name' | 'amount' | 'month';

/** One data row of the file: cell text by column, and the row number finance sees in Excel. */
export type SubsidyFileRow = SheetRow<SubsidyColumn>;
export type SubsidyFile = Sheet<SubsidyColumn>;

// Header names as hospitals write them; "金额（元）", "Employee No" and "employee_no" are all understood.
const SUBSIDY_COLUMNS: Record<SubsidyColumn, string[]> = {
  employeeNo: [
    '工号',
    '员工编号',
    '员工工号',
    '职工号',
    '职工工号',
    '人员编号',
    '员工号',
    'employeeno',
    'employeenumber',
    'staffno',
    'empno',
  ],
  name: ['姓名', '员工姓名', '职工姓名', 'name', 'fullname'],
  amount: ['金额', '补贴金额', '补贴', '发放金额', 'amount', 'subsidy', 'subsidyamount'],
  month: ['月份', '补贴月份', '发放月份', 'month', 'subsidymonth'],
};

/** Reads the first sheet of a workbook, or a CSV file, into rows of cell text. */
export function readSubsidyFile(fileName: string, bytes: Uint8Array): Promise<SubsidyFile> {
  return readSpreadsheet(fileName, bytes, { aliases: SUBSIDY_COLUMNS, required: ['employeeNo', 'amount'] });
}

/**
 * A month as finance writes it: 2026-03, 2026/3, 2026.03, 2026年3月, 202603, or a date (a date cell
 * or 2026-03-01) meaning its month. Returns YYYY-MM, or null.
 */
export function parseMonth(input: string): string | null {
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  const match =
    /^(\d{4})[-/.年](\d{1,2})月?$/.exec(text) ??
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ??
    /^(\d{4})(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Names compared as people write them: full-width forms folded, spaces ignored (张 三 is 张三). */
export const sameName = (a: string, b: string): boolean =>
  a.normalize('NFKC').replace(/\s+/g, '') === b.normalize('NFKC').replace(/\s+/g, '');
