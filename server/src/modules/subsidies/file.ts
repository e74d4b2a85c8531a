// Reading a subsidy file (补贴发放表): the columns finance fills in, read by platform/spreadsheet.ts,
// and the values only subsidies have (a month, an amount as finance writes it). The service checks
// every value.
import { nameKey, readSpreadsheet, type Sheet } from '../../platform/spreadsheet.ts';

export type SubsidyColumn = 'employeeNo' | 'name' | 'amount' | 'month';

/** The file as read: its rows (cell text by column, with the row number finance sees in Excel) and more. */
export type SubsidyFile = Sheet<SubsidyColumn>;

// Header names as hospitals write them; "金额（元）", "Employee No" and "employee_no" are all understood.
const SUBSIDY_COLUMNS: Record<SubsidyColumn, string[]> = {
  employeeNo: [
    '工号',
    '员工编号',
    '员工工号',
    '职工号',
    '职工工号',
    '职工编号',
    '人员编号',
    '员工号',
    'employeeno',
    'employeenumber',
    'staffno',
    'empno',
  ],
  name: ['姓名', '员工姓名', '职工姓名', 'name', 'fullname'],
  amount: [
    '金额',
    '补贴金额',
    '补贴',
    '发放金额',
    '实发金额',
    '餐补',
    '餐补金额',
    '餐费补贴',
    'amount',
    'subsidy',
    'subsidyamount',
  ],
  month: ['月份', '补贴月份', '发放月份', 'month', 'subsidymonth'],
};

/** Reads the first sheet of a workbook, or a CSV file, into rows of cell text. */
export function readSubsidyFile(fileName: string, bytes: Uint8Array): Promise<SubsidyFile> {
  return readSpreadsheet(fileName, bytes, {
    aliases: SUBSIDY_COLUMNS,
    required: ['employeeNo', 'amount'],
    key: 'employeeNo',
  });
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
  return match ? monthOf(match[1], match[2]) : null;
}

function monthOf(yearText: string | undefined, monthText: string | undefined): string | null {
  const year = Number(yearText);
  const month = Number(monthText);
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * The month a sheet's title names ("2026年3月职工餐费补贴发放表"), or else its sheet's name ("2026年3月",
 * "2026.03"); null when neither names exactly one. A date in a title (制表日期 2026-03-25) is not a month.
 */
export function titleMonth(file: Pick<SubsidyFile, 'titleLines' | 'sheetName'>): string | null {
  const months = new Set<string>();
  for (const line of file.titleLines) {
    for (const match of line.matchAll(
      /(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})(?!\d)(?!\s*[-/.]\s*\d)(?!\s*月\s*\d{1,2}\s*[日号])/g,
    )) {
      const month = monthOf(match[1], match[2]);
      if (month) months.add(month);
    }
  }
  if (months.size === 1) return [...months][0] as string;
  return months.size === 0 && file.sheetName ? parseMonth(file.sheetName) : null;
}

/**
 * An amount as finance writes it, ready for parseYuan: "¥ 1,200.00", "1 200.50" (a space between groups
 * of three digits is a thousands separator). Full-width forms were folded when the sheet was read.
 */
export const yuanText = (text: string): string => text.replace(/(\d) (?=\d{3}(?!\d))/g, '$1');

/** The employee number as the people table holds it: no spaces (full-width digits were folded on reading). */
export const employeeNoKey = (text: string): string => text.replace(/\s+/g, '');

/** Names compared as people write them: full-width forms folded, spaces ignored (张 三 is 张三). */
export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);
