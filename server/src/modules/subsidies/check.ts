// The rules a subsidy file is checked by, as plain functions: which month the batch is for, what each
// row is wrong about, and what the file as a whole warns of. The service looks people up and stores
// the result; nothing here reads the database.
import { formatFen, MoneyFormatError, parseYuan } from '../../platform/money.ts';
import { nameKey } from '../../platform/spreadsheet.ts';
import { employeeNoKey, parseMonth, sameName, titleMonth, yuanText, type SubsidyFile } from './file.ts';
import type { NewLine } from './queries.ts';
import type { SubsidyFileWarning, SubsidyLineProblem } from './tables.ts';

/**
 * What a line of the file can be wrong about. Every code blocks the line: a batch with problem lines
 * is granted only when finance confirms with `skipProblemRows`, and then only its good lines.
 */
export const LINE_PROBLEMS = {
  EMPLOYEE_NO_MISSING: 'The employee number (工号) is empty',
  EMPLOYEE_UNKNOWN: 'No person has this employee number',
  NAME_MISMATCH: 'The name does not match the person with this employee number',
  PERSON_LEFT: 'This person has left',
  NO_WALLET: 'This person has no account yet',
  WALLET_FROZEN: "This person's account is frozen",
  WALLET_CLOSED: "This person's account was closed (退卡)",
  AMOUNT_MISSING: 'The amount (金额) is empty',
  AMOUNT_MALFORMED: 'The amount is not a number of yuan such as 300 or 300.00',
  AMOUNT_TOO_PRECISE: 'The amount has more than two decimals (fen)',
  AMOUNT_NOT_POSITIVE: 'The amount must be more than zero',
  MONTH_MISSING: 'No month: give a 月份 column or the month of the whole batch',
  MONTH_MALFORMED: 'The month is not a month such as 2026-03 or 2026年3月',
  MONTH_MIXED: 'The month differs from the month of the batch',
  DUPLICATE_IN_FILE: 'This person appears more than once in the file; remove all rows but one',
  ALREADY_GRANTED: 'This person was already granted a subsidy for this month',
} as const;
export type LineProblemCode = keyof typeof LINE_PROBLEMS;

/** What the file as a whole may be wrong about. A warning blocks nothing: finance reads it and decides. */
export const FILE_WARNINGS = {
  TOTAL_MISMATCH: 'A totals row does not equal the sum of the rows it totals',
  MONTH_DIFFERS_FROM_TITLE: "The sheet's title or name gives another month than the batch's",
} as const;
export type FileWarningCode = keyof typeof FILE_WARNINGS;

/** A person an employee number of the file names, with what decides whether they can be granted. */
export interface PersonOnFile {
  id: number;
  name: string;
  status: 'active' | 'left';
  /** Their wallet's status; `none` when they have no wallet. */
  wallet: 'open' | 'frozen' | 'closed' | 'none';
}

const problem = (code: LineProblemCode, detail?: string, rows?: number[]): SubsidyLineProblem => ({
  code,
  message: detail ? `${LINE_PROBLEMS[code]}: ${detail}` : LINE_PROBLEMS[code],
  ...(rows ? { rows } : {}),
});

/** Fen of an amount as finance writes it, or null when it is not one. */
export function fenOf(text: string): number | null {
  try {
    return parseYuan(yuanText(text));
  } catch (error) {
    if (error instanceof MoneyFormatError) return null;
    throw error;
  }
}

function amountOf(text: string): { fen: number | null; problem?: SubsidyLineProblem } {
  if (text === '') return { fen: null, problem: problem('AMOUNT_MISSING') };
  const fen = fenOf(text);
  if (fen === null) {
    const tooPrecise = /^[¥]?\s*\d[\d,]*\.\d{3,}\s*元?$/.test(yuanText(text));
    return { fen: null, problem: problem(tooPrecise ? 'AMOUNT_TOO_PRECISE' : 'AMOUNT_MALFORMED', text) };
  }
  return fen > 0 ? { fen } : { fen: null, problem: problem('AMOUNT_NOT_POSITIVE', text) };
}

/**
 * The month of the batch: the one given with the upload; else the month most rows name (the earliest
 * on a tie), so one mistyped row cannot move the whole batch; else the month of the sheet's title or name.
 */
export function batchMonthOf(file: SubsidyFile, given: string | null): string | null {
  if (given) return given;
  const counts = new Map<string, number>();
  for (const row of file.rows) {
    const month = parseMonth(row.month);
    if (month) counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [month, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = month;
  return best ?? titleMonth(file);
}

/**
 * Checks every row. A row can only be held back by what is wrong with it or with the same person's
 * other rows, never by another person's row: one employee is the same employee number with the same
 * name (a row whose name does not match its number is that row's NAME_MISMATCH, not a repeat).
 */
export function checkLines(
  file: SubsidyFile,
  context: { month: string | null; people: Map<string, PersonOnFile>; granted: Set<number> },
): NewLine[] {
  const hasName = file.columns.includes('name');
  const sameEmployee = (row: SubsidyFile['rows'][number]) =>
    `${employeeNoKey(row.employeeNo)}\u0000${hasName ? nameKey(row.name) : ''}`;
  const rowsOfEmployee = new Map<string, number[]>();
  for (const row of file.rows) {
    if (!employeeNoKey(row.employeeNo)) continue;
    const key = sameEmployee(row);
    rowsOfEmployee.set(key, [...(rowsOfEmployee.get(key) ?? []), row.rowNumber]);
  }
  const { month } = context;

  return file.rows.map((row) => {
    const problems: SubsidyLineProblem[] = [];
    const employeeNo = employeeNoKey(row.employeeNo);
    const person = employeeNo ? context.people.get(employeeNo) : undefined;
    if (!employeeNo) problems.push(problem('EMPLOYEE_NO_MISSING'));
    else if (!person) problems.push(problem('EMPLOYEE_UNKNOWN', employeeNo));
    else {
      if (hasName && !sameName(row.name, person.name)) {
        problems.push(problem('NAME_MISMATCH', `${row.name || '(empty)'} ≠ ${person.name}`));
      }
      if (person.status !== 'active') problems.push(problem('PERSON_LEFT'));
      else if (person.wallet === 'none') problems.push(problem('NO_WALLET'));
      else if (person.wallet === 'frozen') problems.push(problem('WALLET_FROZEN'));
      else if (person.wallet === 'closed') problems.push(problem('WALLET_CLOSED'));
    }
    const amount = amountOf(row.amount);
    if (amount.problem) problems.push(amount.problem);

    const rowMonth = row.month ? parseMonth(row.month) : null;
    if (row.month && !rowMonth) problems.push(problem('MONTH_MALFORMED', row.month));
    else if (!rowMonth && !month) problems.push(problem('MONTH_MISSING'));
    else if (rowMonth && month && rowMonth !== month) problems.push(problem('MONTH_MIXED', `${rowMonth} ≠ ${month}`));

    // Both (all) rows of one employee are held back until finance removes the extra ones: which one
    // is right is finance's call, not a guess of ours.
    const others = employeeNo ? (rowsOfEmployee.get(sameEmployee(row)) ?? []).filter((n) => n !== row.rowNumber) : [];
    if (others.length) problems.push(problem('DUPLICATE_IN_FILE', `rows ${others.join(', ')} too`, others));
    // Granted for the batch's month; a row for another month is already refused as MONTH_MIXED.
    if (person && context.granted.has(person.id) && (!rowMonth || rowMonth === month)) {
      problems.push(problem('ALREADY_GRANTED', month ?? ''));
    }
    return {
      rowNumber: row.rowNumber,
      employeeNo: employeeNo.slice(0, 64),
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

/**
 * Warnings about the file as a whole: a totals row (合计, 小计) that does not add up, a title naming
 * another month than the batch's. A subtotal is compared with its block (the rows since the previous
 * totals row) and a total with every row above it; either matching is enough, so a file that puts a
 * 合计 under each department is understood too.
 */
export function fileWarnings(file: SubsidyFile, month: string | null): SubsidyFileWarning[] {
  const warnings: SubsidyFileWarning[] = [];
  const sumOf = (rows: SubsidyFile['rows']) => ({
    fen: rows.reduce((sum, r) => sum + (fenOf(r.amount) ?? 0), 0),
    unreadable: rows.filter((r) => fenOf(r.amount) === null).map((r) => r.rowNumber),
  });
  let blockStart = 0;
  for (const total of file.totals) {
    const above = file.rows.filter((r) => r.rowNumber < total.rowNumber);
    const block = above.filter((r) => r.rowNumber > blockStart);
    blockStart = total.rowNumber;
    const expectedFen = fenOf(total.amount);
    if (expectedFen === null) continue; // a totals row without an amount (人数 only) has nothing to check
    const [ofBlock, ofAbove] = [sumOf(block), sumOf(above)];
    if (expectedFen === ofBlock.fen || expectedFen === ofAbove.fen) continue;
    const compared = total.subtotal ? ofBlock : ofAbove;
    const unreadable = compared.unreadable.length
      ? `; rows ${compared.unreadable.join(', ')} have no readable amount`
      : '';
    warnings.push({
      code: 'TOTAL_MISMATCH',
      message: `${FILE_WARNINGS.TOTAL_MISMATCH}: row ${total.rowNumber} (${total.label}) says ${formatFen(expectedFen)}, the rows ${total.subtotal ? 'of its block' : 'above it'} add up to ${formatFen(compared.fen)}${unreadable}`,
      rowNumber: total.rowNumber,
      label: total.label,
      expectedFen,
      actualFen: compared.fen,
      rows: compared.unreadable,
    });
  }
  const named = titleMonth(file);
  if (named && month && named !== month) {
    warnings.push({
      code: 'MONTH_DIFFERS_FROM_TITLE',
      message: `${FILE_WARNINGS.MONTH_DIFFERS_FROM_TITLE}: the sheet says ${named}, the batch is for ${month}`,
      month: named,
    });
  }
  return warnings;
}
