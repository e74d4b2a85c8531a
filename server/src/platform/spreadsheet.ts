// Reading a sheet people filled in (补贴发放表, 人员导入表): .xlsx through exceljs, .csv through the
// small parser below. Columns are found by their header text, in Chinese or English; the result is
// text per cell, tidied (NFKC, trimmed), and the module that reads the file checks every value.
//
// Sheets made for people are exported from finance and HR systems, not typed for us: a title above
// the column names, column names in merged cells over two rows, blank rows between departments,
// subtotals (小计) under each block and a total (合计) at the bottom, full-width digits (１０２６３) and
// spaces. The reader takes all of that as it comes; see the README of the subsidy import for the rules.
import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { invalid } from './errors.ts';

/** One data row: cell text by column, and the row number people see in Excel (header is row 1). */
export type SheetRow<C extends string> = { rowNumber: number } & Record<C, string>;

/** A totals row (合计, 小计…): not a person; the module may check it against the rows it sums. */
export type SheetTotalRow<C extends string> = SheetRow<C> & {
  /** The label as written, e.g. 合计 or 小计. */
  label: string;
  /** A subtotal sums its block (the rows since the previous totals row); a total sums every row above. */
  subtotal: boolean;
};

export interface Sheet<C extends string> {
  /** The columns the header row has, in the order they were found. */
  columns: C[];
  rows: SheetRow<C>[];
  /** Totals rows, in sheet order, left out of `rows`. */
  totals: SheetTotalRow<C>[];
  /** The text of each non-empty row above the header: the sheet's title, its unit, who made it. */
  titleLines: string[];
  /** The worksheet's name (a .csv file has none). */
  sheetName: string | null;
}

export interface SheetLayout<C extends string> {
  /** Header names as hospitals write them, per column; the first one is named in error messages. */
  aliases: Record<C, string[]>;
  /** Columns the header row must have. */
  required: NoInfer<C>[];
  /** The column that says whose row it is (工号): a totals row has it empty, or its label there. */
  key: NoInfer<C>;
}

const MAX_FILE_ROWS = 20_000;
/** The header is looked for among the first non-empty rows: titles and notes come above it. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Cell text as it was meant: NFKC folds full-width digits, letters, signs and spaces (１０２６３ → 10263,
 * ￥ → ¥, the ideographic space → a space), zero-width characters go, runs of spaces become one, and
 * spaces between Chinese characters go (lists pad a two-character name with an ideographic space to line
 * it up with three-character ones: it is 李雷, not 李 雷).
 */
export const tidyCell = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1')
    .trim();

/** Names compared as people write them: full-width forms folded, spaces ignored (张 三 is 张三), one middle dot. */
export const nameKey = (name: string): string =>
  tidyCell(name)
    .replace(/\s+/g, '')
    .replace(/[·・•‧∙]/g, '·');

// Matching ignores case, spaces, underscores and a unit in brackets, so "金额（元）", "Employee No"
// and "employee_no" are all understood.
const headerKey = (text: string): string =>
  tidyCell(text)
    .replace(/\(.*\)$/, '')
    .replace(/[\s_\-:：*]/g, '')
    .toLowerCase();

// 合计, 合 计, 合计：, 合计（元）, 本页小计, Total… A label starts the cell; the rest may count people.
const TOTAL_LABEL =
  /^(总合计|合计|总计|共计|小计|本页合计|本页小计|本月合计|grandtotals?|subtotals?|totals?|sum)(?![a-z])/i;
const SUBTOTAL_LABEL = /^(小计|本页小计|subtotal)/i;

function fileKind(fileName: string): 'xlsx' | 'csv' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw invalid(
    'FILE_TYPE_UNSUPPORTED',
    'Upload an Excel workbook (.xlsx) or a CSV file (.csv); save .xls files as .xlsx first',
  );
}

/** Reads the first visible sheet of a workbook, or a CSV file, into rows of cell text by column. */
export async function readSpreadsheet<C extends string>(
  fileName: string,
  bytes: Uint8Array,
  layout: SheetLayout<C>,
): Promise<Sheet<C>> {
  const grid = fileKind(fileName) === 'xlsx' ? await readXlsx(bytes) : { name: null, rows: readCsv(bytes) };
  return rowsFromGrid(grid, layout);
}

interface GridRow {
  rowNumber: number;
  cells: string[];
  /** Which cells belong to a merged range (xlsx only): such a cell repeats the range's text. */
  merged: boolean[];
}

interface Grid {
  name: string | null;
  rows: GridRow[];
}

function rowsFromGrid<C extends string>(grid: Grid, layout: SheetLayout<C>): Sheet<C> {
  const aliasToColumn = new Map<string, C>(
    (Object.entries(layout.aliases) as [C, string[]][]).flatMap(([column, aliases]) =>
      aliases.map((alias) => [headerKey(alias), column] as const),
    ),
  );
  const columnOf = (text: string): C | undefined => (text ? aliasToColumn.get(headerKey(text)) : undefined);
  // Column names may take two rows (补贴 merged over 金额 | 备注): the lower, more precise name wins.
  const columnPositions = (rows: GridRow[]): Map<C, number> => {
    const positions = new Map<C, number>();
    const width = Math.max(...rows.map((r) => r.cells.length));
    for (let index = 0; index < width; index++) {
      const column = rows
        .map((r) => columnOf(r.cells[index] ?? ''))
        .reverse()
        .find((c) => c !== undefined && !positions.has(c));
      if (column) positions.set(column, index);
    }
    return positions;
  };
  const complete = (positions: Map<C, number>) => layout.required.every((c) => positions.has(c));

  const nonEmpty = grid.rows
    .map((row) => ({ ...row, cells: row.cells.map(tidyCell) }))
    .filter((row) => row.cells.some((c) => c !== ''));
  if (!nonEmpty.length) throw invalid('FILE_EMPTY', 'The file has no rows');

  let header: { at: number; rows: GridRow[]; positions: Map<C, number> } | undefined;
  for (let at = 0; at < Math.min(HEADER_SEARCH_ROWS, nonEmpty.length) && !header; at++) {
    const first = nonEmpty[at] as GridRow;
    const next = nonEmpty[at + 1];
    const namesColumns = (row: GridRow | undefined) => row !== undefined && row.cells.some((c) => columnOf(c));
    if (!namesColumns(first)) continue;
    // The next row continues the header when it names a column too (金额 under a merged 补贴).
    const rows = namesColumns(next) ? [first, next as GridRow] : [first];
    const positions = columnPositions(rows);
    if (complete(positions)) header = { at, rows, positions };
  }
  if (!header) {
    const found = columnPositions(nonEmpty.slice(0, 1));
    const missing = layout.required.filter((c) => !found.has(c));
    const named = layout.required.map((c) => `${layout.aliases[c][0] ?? c} (${c})`).join(', ');
    throw invalid(
      'FILE_HEADER_MISSING',
      `A row of column names must come within the first ${HEADER_SEARCH_ROWS} rows, with ${named} at least; missing ${missing.join(', ')}`,
      missing.map((c) => ({ path: `/file/header/${c}`, message: `expected one of ${layout.aliases[c].join(', ')}` })),
    );
  }
  const { positions } = header;
  const known = [...positions.keys()];
  const cell = (row: GridRow, column: C): string => {
    const at = positions.get(column);
    return at === undefined ? '' : (row.cells[at] ?? '');
  };
  const sheetRow = (row: GridRow): SheetRow<C> =>
    Object.fromEntries([
      ['rowNumber', row.rowNumber],
      ...(Object.keys(layout.aliases) as C[]).map((c) => [c, cell(row, c)]),
    ]) as SheetRow<C>;

  const rows: SheetRow<C>[] = [];
  const totals: SheetTotalRow<C>[] = [];
  for (const row of nonEmpty.slice(header.at + header.rows.length)) {
    const filled = known.filter((c) => cell(row, c) !== '');
    // Nothing in the columns we read (a 序号 or 备注 alone, a department's name in the first column).
    if (!filled.length) continue;
    // The header again (a second page of a printed export).
    if (filled.every((c) => columnOf(cell(row, c)) === c)) continue;
    const label = totalLabel(row, cell(row, layout.key));
    if (label) {
      totals.push({ ...sheetRow(row), label, subtotal: SUBTOTAL_LABEL.test(label) });
      continue;
    }
    // One merged cell across the row: a block's heading or a note (制表人：…), not a person.
    const first = cell(row, filled[0] as C);
    if (
      filled.length > 1 &&
      filled.every((c) => cell(row, c) === first && row.merged[positions.get(c) as number] === true)
    ) {
      continue;
    }
    rows.push(sheetRow(row));
  }
  if (rows.length > MAX_FILE_ROWS) {
    throw invalid('FILE_TOO_MANY_ROWS', `A file holds at most ${MAX_FILE_ROWS} rows; split it`);
  }
  return {
    columns: known,
    rows,
    totals,
    titleLines: nonEmpty.slice(0, header.at).map((r) => [...new Set(r.cells.filter(Boolean))].join(' ')),
    sheetName: grid.name,
  };
}

/**
 * The label of a totals row (合计, 小计…), or null. The label may stand in any cell (a merged cell over
 * 序号 to 姓名, the name column); the row's key cell (工号) is empty or holds the label itself.
 */
function totalLabel(row: GridRow, keyText: string): string | null {
  const labelOf = (text: string): string | null => {
    const compact = text.replace(/\s+/g, '');
    return TOTAL_LABEL.test(compact) ? compact : null;
  };
  if (keyText !== '' && !labelOf(keyText)) return null;
  for (const text of row.cells) {
    const label = labelOf(text);
    if (label) return label;
  }
  return null;
}

// —— xlsx ——

// exceljs takes a few tenths of a second to load: it is loaded when a sheet is first read or written,
// not by every start of the server.
let exceljs: Promise<typeof ExcelJS> | undefined;

/** A new, empty workbook (exceljs loaded on first use). */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  // A CommonJS package: Node offers its exports as the default export alone, whatever its types say.
  exceljs ??= import('exceljs').then((module) => (module as unknown as { default: typeof ExcelJS }).default);
  return new (await exceljs).Workbook();
}

async function readXlsx(bytes: Uint8Array): Promise<Grid> {
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw invalid('FILE_UNREADABLE', 'This is not a readable .xlsx workbook');
  }
  // A hidden first sheet (a lookup list, an old month) is not the one people look at.
  const sheet = workbook.worksheets.find((s) => s.state === 'visible') ?? workbook.worksheets[0];
  if (!sheet) throw invalid('FILE_EMPTY', 'The workbook has no sheet');
  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const merged: boolean[] = [];
    // A cell inside a merged range reads as the range's text (exceljs gives its master's value).
    row.eachCell({ includeEmpty: true }, (c, column) => {
      cells[column - 1] = cellText(c.value);
      merged[column - 1] = c.isMerged;
    });
    rows.push({ rowNumber, cells: Array.from(cells, (c) => c ?? ''), merged: Array.from(merged, (m) => m ?? false) });
  });
  return { name: sheet.name, rows };
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
  return parseCsv(text).map((cells, index) => ({ rowNumber: index + 1, cells, merged: [] }));
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

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The 200 answer of a workbook download, for the OpenAPI document: the body is the file's bytes. */
export const workbookAnswer = (description: string) => ({
  description,
  content: { [XLSX_TYPE]: { schema: { type: 'string', contentMediaType: XLSX_TYPE } } },
});

/** Sends a workbook as a download; `localName` (e.g. 补贴导入模板.xlsx) is what browsers that can show it save it as. */
export function sendWorkbook(reply: FastifyReply, bytes: Buffer, fileName: string, localName?: string): FastifyReply {
  const local = localName ? `; filename*=UTF-8''${encodeURIComponent(localName)}` : '';
  return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="${fileName}"${local}`).send(bytes);
}
