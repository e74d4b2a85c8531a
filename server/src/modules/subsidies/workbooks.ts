import type { SubsidyBatchDetail } from './service.ts';
import { newWorkbook } from '../../platform/spreadsheet.ts';

/** The workbook finance fills in: one sheet of columns to fill, one of instructions (not imported). */
export async function subsidyTemplate(): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('补贴发放');
  sheet.columns = [
    { header: '工号', key: 'employeeNo', width: 14, style: { numFmt: '@' } },
    { header: '姓名', key: 'name', width: 12 },
    { header: '金额', key: 'amount', width: 12, style: { numFmt: '0.00' } },
    { header: '月份', key: 'month', width: 12, style: { numFmt: '@' } },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const help = workbook.addWorksheet('说明 Instructions');
  help.getColumn(1).width = 100;
  for (const line of [
    '只导入第一个工作表。每行一人：工号、姓名、金额（元，最多两位小数）、月份（如 2026-03 或 2026年3月）。',
    '月份可以不填，在导入页面为整批指定。同一人同一月份只能发放一次；预览无误后确认才会发放。',
    'Only the first sheet is imported. One row per person: employee number, name, amount in yuan (at most two decimals), month (2026-03).',
    'The month may be left empty and given for the whole batch when uploading. A person is granted once per month; nothing is granted until the preview is confirmed.',
  ]) {
    help.addRow([line]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A batch's lines as a workbook finance can fix and upload again: the four import columns first, then
 * the problems and the original row (columns the import ignores).
 */
export async function subsidyBatchWorkbook(
  batch: SubsidyBatchDetail,
  options: { problemsOnly: boolean },
): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet(`批次 ${batch.id}`);
  sheet.columns = [
    { header: '工号', key: 'employeeNo', width: 14, style: { numFmt: '@' } },
    { header: '姓名', key: 'name', width: 12 },
    { header: '金额', key: 'amount', width: 12 },
    { header: '月份', key: 'month', width: 12, style: { numFmt: '@' } },
    { header: '问题 Problems', key: 'problems', width: 60 },
    { header: '原行号 Row', key: 'row', width: 10 },
    { header: '已发放 Granted', key: 'granted', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const line of batch.lines) {
    if (options.problemsOnly && !line.problems.length) continue;
    sheet.addRow({
      employeeNo: line.employeeNo,
      name: line.name,
      amount: line.amountText,
      month: line.monthText || (line.month ?? ''),
      problems: line.problems.map((p) => `${p.code}: ${p.message}`).join('\n'),
      row: line.rowNumber,
      granted: line.granted ? '是 yes' : '',
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
