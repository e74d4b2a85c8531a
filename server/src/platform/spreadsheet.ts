// Reading a sheet people filled in (补贴发放表, 人员导入表): .xlsx through exceljs, .csv through the
// small parser below. Columns are found by their header text, in Chinese or English; the result is
// text per cell, as typed, and the module that reads the file checks every value.
import ExcelJS from 'exceljs';
import { invalid } from './errors.ts';

/** One data row: cell text by column, and the row number people see in Excel (header is row 1). */
export type SheetRow<C extends string> = { rowNumber: number } & Record<C, string>;

export interface Sheet<C extends string> {
  /** The columns the header row has, in the order they were found. */
  columns: C[];
  rows: SheetRow<C>[];
}

export interface SheetLayout<C extends string> {
  /** Header names as hospitals write them, per column; the first one is named in error messages. */
  aliases: Record<C, string[]>;
  /** Columns the header row must have. */
  required: NoInfer<C>[];
}

const MAX_FILE_ROWS = 20_000;

// Matching ignores case, spaces, underscores and a unit in brackets, so "金额（元）", "Employee No"
// and "employee_no" are all understood.
const headerKey = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/\(.*\)$/, '')
    .replace(/[\s_\-:：*]/g, '')
    .toLowerCase();

function fileKind(fileName: string): 'xlsx' | 'csv' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw invalid(
    'FILE_TYPE_UNSUPPORTED',
    'Upload an Excel workbook (.xlsx) or a CSV file (.csv); save .xls files as .xlsx first',
  );
}

/** Reads the first sheet of a workbook, or a CSV file, into rows of cell text by column. */
export async function readSpreadsheet<C extends string>(
  fileName: string,
  bytes: Uint8Array,
  layout: SheetLayout<C>,
): Promise<Sheet<C>> {
  const grid = fileKind(fileName) === 'xlsx' ? await readXlsx(bytes) : readCsv(bytes);
  return rowsFromGrid(grid, layout);
}

interface GridRow {
  rowNumber: number;
  cells: string[];
}

// Sheets made for people often start with a title ("2026年3月职工餐补发放表", a date, a unit) above
// the column names, and end with a total row (合计). Titles are skipped by looking for the header
// among the first rows; a total row is not a person and is left out.
const HEADER_SEARCH_ROWS = 10;
const TOTAL_LABEL = /^(合计|总计|小计|共计|total|sum)[:：]?$/i;

function rowsFromGrid<C extends string>(grid: GridRow[], layout: SheetLayout<C>): Sheet<C> {
  const aliasToColumn = new Map<string, C>(
    (Object.entries(layout.aliases) as [C, string[]][]).flatMap(([column, aliases]) =>
      aliases.map((alias) => [headerKey(alias), column] as const),
    ),
  );
  const columnPositions = (row: GridRow): Map<C, number> => {
    const positions = new Map<C, number>();
    row.cells.forEach((cell, index) => {
      const column = aliasToColumn.get(headerKey(cell));
      if (column && !positions.has(column)) positions.set(column, index);
    });
    return positions;
  };

  const nonEmpty = grid.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!nonEmpty.length) throw invalid('FILE_EMPTY', 'The file has no rows');
  const headerIndex = Math.max(
    nonEmpty.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => {
      const positions = columnPositions(row);
      return layout.required.every((c) => positions.has(c));
    }),
    0,
  );
  const positions = columnPositions(nonEmpty[headerIndex] as GridRow);
  const missing = layout.required.filter((c) => !positions.has(c));
  if (missing.length) {
    const named = layout.required.map((c) => `${layout.aliases[c][0] ?? c} (${c})`).join(', ');
    throw invalid(
      'FILE_HEADER_MISSING',
      `A row of column names must come first, with ${named} at least; missing ${missing.join(', ')}`,
      missing.map((c) => ({ path: `/file/header/${c}`, message: `expected one of ${layout.aliases[c].join(', ')}` })),
    );
  }
  const cell = (row: GridRow, column: C): string => {
    const at = positions.get(column);
    return at === undefined ? '' : (row.cells[at] ?? '').trim();
  };
  // The first filled cell of the known columns says 合计 on a total row.
  const isTotal = (row: GridRow): boolean => {
    const first = [...positions.keys()].map((c) => cell(row, c).replace(/\s+/g, '')).find((t) => t !== '');
    return first !== undefined && TOTAL_LABEL.test(first);
  };
  const data = nonEmpty.slice(headerIndex + 1).filter((row) => !isTotal(row));
  if (data.length > MAX_FILE_ROWS) {
    throw invalid('FILE_TOO_MANY_ROWS', `A file holds at most ${MAX_FILE_ROWS} rows; split it`);
  }
  const columns = Object.keys(layout.aliases) as C[];
  return {
    columns: [...positions.keys()],
    rows: data.map(
      (row) =>
        Object.fromEntries([['rowNumber', row.rowNumber], ...columns.map((c) => [c, cell(row, c)])]) as SheetRow<C>,
    ),
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

/** Text of a cell value as it was meant: a date cell becomes YYYY-MM-DD, a number its shortest decimal. */
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
// parsed as text (parseYuan for money), so fen never pass through floating-point arithmetic. A value
// that is not a clean decimal (0.1 + 0.2 in a formula) shows its full digits and is refused for its precision.
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

/** The bytes of a file sent as base64 in a JSON body, refused when it is not base64 or too large. */
export function uploadedBytes(contentBase64: string, maxBytes: number): Buffer {
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(contentBase64)) {
    throw invalid('FILE_ENCODING', 'contentBase64 is not base64', [
      { path: '/body/contentBase64', message: 'not base64' },
    ]);
  }
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length > maxBytes) throw invalid('FILE_TOO_LARGE', `A file is at most ${maxBytes / 1024 / 1024} MB`);
  return bytes;
}
