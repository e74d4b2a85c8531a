// Test helpers of the subsidy import's suites: people with wallets, files as finance writes them, and
// the service's preview and confirm as a test calls them.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { TestApp } from '../../../test/harness.ts';
import { newPerson } from '../../../test/factories.ts';
import { systemActor } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { SubsidyBatchDetail } from './service.ts';

export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/** A workbook of one sheet holding these rows from row 1. */
export async function workbook(rows: ExcelJS.CellValue[][], sheetName = '补贴'): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Problem codes by row number. */
export const codesByRow = (batch: SubsidyBatchDetail) =>
  Object.fromEntries(batch.lines.map((l) => [l.rowNumber, l.problems.map((p) => p.code)]));

// Employee numbers of digits only, as hospitals give them, apart for every person of a test run.
let lastEmployeeNo = 100_000 + Math.floor(Math.random() * 800_000) * 10;

/** The preview, confirm and people of a suite built with describeApp. */
export function subsidyKit(get: () => TestApp) {
  const hospitalId = async () =>
    (await get().database.db.selectFrom('hospitals').select('id').executeTakeFirstOrThrow()).id;

  return {
    hospitalId,
    /** A person with an open wallet (unless `wallet: false`); `digits` gives an employee number of digits. */
    async staff(name: string, options: { left?: boolean; digits?: boolean; wallet?: boolean } = {}) {
      const employeeNo = options.digits ? String(++lastEmployeeNo) : `S${randomUUID().slice(0, 6).toUpperCase()}`;
      const person = await newPerson(get().database.db, { name, employeeNo });
      if (options.wallet ?? true) await get().services.wallets.openWallets(null, [person]);
      if (options.left) {
        await get().database.db.updateTable('people').set({ status: 'left' }).where('id', '=', person.id).execute();
      }
      return person;
    },
    async upload(fileName: string, bytes: Uint8Array, month?: string) {
      return get().services.subsidies.previewSubsidyBatch(
        { hospitalId: await hospitalId(), fileName, bytes, month },
        systemActor,
      );
    },
    async confirm(batchId: number, options: { skipProblemRows?: boolean; key?: string } = {}) {
      return get().services.subsidies.grantSubsidyBatch(
        {
          hospitalId: await hospitalId(),
          batchId,
          skipProblemRows: options.skipProblemRows ?? false,
          idempotencyKey: options.key ?? randomUUID(),
        },
        systemActor,
      );
    },
    subsidyFen: async (personId: number) => (await get().services.wallets.balances(personId)).subsidyFen,
  };
}
