// Reading a subsidy file (补贴发放表): .xlsx through exceljs, .csv through the small parser below.
// The result is text per cell, as finance typed it; the service checks every value.
import ExcelJS from 'exceljs';
import { invalid } from '../../platform/errors.ts';

export type SubsidyColumn = 'employeeNo' | 'name' | 'amount' | 'month';

/** One data row of the file: cell text by column, and the row number finance sees in Excel. */
export interface SubsidyFileRow {
  rowNumber: number;
  employeeNo: string;
  name: string;
  amount: string;
  month: string;
}

export interface SubsidyFile {
  columns: SubsidyColumn[];
  rows: SubsidyFileRow[];
}

export const MAX_FILE_ROWS = 20_000;

// Header names as hospitals write them. Matching ignores case, spaces, underscores and a unit
// in brackets, so "金额（元）", "Employee No" and "employee_no" are all understood.
const HEADER_ALIASES: Record<SubsidyColumn, string[]> = {
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

const headerKey = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/\(.*\)$/, '')
    .replace(/[\s_\-:：*]/g, '')
    .toLowerCase();

const ALIAS_TO_COLUMN = new Map<string, SubsidyColumn>(
  Object.entries(HEADER_ALIASES).flatMap(([column, aliases]) =>
    aliases.map((alias) => [headerKey(alias), column as SubsidyColumn] as const),
  ),
);

export function fileKind(fileName: string): 'xlsx' | 'csv' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw invalid(
    'FILE_TYPE_UNSUPPORTED',
    'Upload an Excel workbook (.xlsx) or a CSV file (.csv); save .xls files as .xlsx first',
  );
}

/** Reads the first sheet of a workbook, or a CSV file, into rows of cell text. */
export async function readSubsidyFile(fileName: string, bytes: Uint8Array): Promise<SubsidyFile> {
  const grid = fileKind(fileName) === 'xlsx' ? await readXlsx(bytes) : readCsv(bytes);
  return rowsFromGrid(grid);
}

interface GridRow {
  rowNumber: number;
  cells: string[];
}

/** Where each known column is in a row of headers. */
function columnPositions(row: GridRow): Map<SubsidyColumn, number> {
  const positions = new Map<SubsidyColumn, number>();
  row.cells.forEach((cell, index) => {
    const column = ALIAS_TO_COLUMN.get(headerKey(cell));
    if (column && !positions.has(column)) positions.set(column, index);
  });
  return positions;
}

// Sheets made for people often start with a title ("2026年3月职工餐补发放表", a date, a unit) above
// the column names, and end with a total row (合计). Titles are skipped by looking for the header
// among the first rows; a total row is not a person and is left out.
const HEADER_SEARCH_ROWS = 10;
const TOTAL_LABEL = /^(合计|总计|小计|共计|total|sum)[:：]?$/i;

function rowsFromGrid(grid: GridRow[]): SubsidyFile {
  const nonEmpty = grid.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!nonEmpty.length) throw invalid('FILE_EMPTY', 'The file has no rows');
  const headerIndex = nonEmpty
    .slice(0, HEADER_SEARCH_ROWS)
    .findIndex((row) => ['employeeNo', 'amount'].every((c) => columnPositions(row).has(c as SubsidyColumn)));
  const header = nonEmpty[Math.max(headerIndex, 0)] as GridRow;
  const positions = columnPositions(header);
  const missing = (['employeeNo', 'amount'] as const).filter((c) => !positions.has(c));
  if (missing.length) {
    throw invalid(
      'FILE_HEADER_MISSING',
      `A row of column names must come first: 工号 (employee number) and 金额 (amount) at least; missing ${missing.join(', ')}`,
      missing.map((c) => ({ path: `/file/header/${c}`, message: `expected one of ${HEADER_ALIASES[c].join(', ')}` })),
    );
  }
  const isTotal = (row: GridRow): boolean => {
    const label = (at: number | undefined) => (at === undefined ? '' : (row.cells[at] ?? '').replace(/\s+/g, ''));
    const employeeNo = label(positions.get('employeeNo'));
    return TOTAL_LABEL.test(employeeNo) || (employeeNo === '' && TOTAL_LABEL.test(label(positions.get('name'))));
  };
  const data = nonEmpty.slice(Math.max(headerIndex, 0) + 1).filter((row) => !isTotal(row));
  if (data.length > MAX_FILE_ROWS) {
    throw invalid('FILE_TOO_MANY_ROWS', `A batch holds at most ${MAX_FILE_ROWS} rows; split the file`);
  }
  const cell = (row: GridRow, column: SubsidyColumn): string => {
    const at = positions.get(column);
    return at === undefined ? '' : (row.cells[at] ?? '').trim();
  };
  return {
    columns: [...positions.keys()],
    rows: data.map((row) => ({
      rowNumber: row.rowNumber,
      employeeNo: cell(row, 'employeeNo'),
      name: cell(row, 'name'),
      amount: cell(row, 'amount'),
      month: cell(row, 'month'),
    })),
  };
}

// —— xlsx ——

async function readXlsx(bytes: Uint8Array): Promise<GridRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw invalid('FILE_UNREADABLE', 'This is not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid('FILE_EMPTY', 'The workbook has no sheet');
  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c, column) => {
      cells[column - 1] = cellText(c.value);
    });
    rows.push({ rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return rows;
}

/** Text of a cell value as finance meant it: a date cell becomes YYYY-MM-DD, a number its shortest decimal. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue); // formula
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text); // hyperlink
  if ('error' in value) return String(value.error);
  return '';
}

// A number cell is read as the shortest decimal that round-trips (300 → "300", 12.5 → "12.5"), then
// parsed as text by parseYuan, so fen never pass through floating-point arithmetic. A value that is
// not a clean decimal (0.1 + 0.2 in a formula) shows its full digits and is refused for its precision.
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  return /e/i.test(text) ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : text;
}

// —— csv ——

/**
 * Decodes CSV bytes: UTF-8 with or without a BOM; anything that is not valid UTF-8 is read as GB18030
 * (a superset of GBK), which is what Excel on a Chinese Windows writes for "CSV (逗号分隔)".
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180 CSV: quoted fields with "" for a quote, commas and line breaks inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') endRow();
    else if (ch === '\r') {
      if (text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
    i++;
  }
  if (quoted) throw invalid('FILE_UNREADABLE', 'The CSV file ends inside a quoted field');
  if (field !== '' || row.length) endRow();
  return rows;
}

function readCsv(bytes: Uint8Array): GridRow[] {
  const text = decodeCsv(bytes).replace(/^\uFEFF/, '');
  return parseCsv(text).map((cells, index) => ({ rowNumber: index + 1, cells }));
}

// —— values ——

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
