// The shared sheet reader, on files as finance and HR systems export them (no database needed).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { nameKey, readSpreadsheet, tidyCell, type SheetLayout } from './spreadsheet.ts';

type Column = 'employeeNo' | 'name' | 'amount';
const LAYOUT: SheetLayout<Column> = {
  aliases: { employeeNo: ['工号'], name: ['姓名'], amount: ['金额', '补贴'] },
  required: ['employeeNo', 'amount'],
  key: 'employeeNo',
};

const csv = (text: string) => readSpreadsheet('sheet.csv', new TextEncoder().encode(text), LAYOUT);
const rowsOf = (sheet: Awaited<ReturnType<typeof csv>>) =>
  sheet.rows.map((r) => [r.rowNumber, r.employeeNo, r.name, r.amount]);

describe('reading sheets as finance and HR systems export them', () => {
  it.each([
    ['１０２６３', '10263'],
    ['￥１，２００．００', '¥1,200.00'],
    ['　王　芳 ', '王芳'],
    ['Li  Lei', 'Li Lei'],
    ['李\u200B娜', '李娜'],
    ['A\u00A0 B', 'A B'],
  ])('tidies the cell %j to %j', (text, tidy) => expect(tidyCell(text)).toBe(tidy));

  it('compares names without spaces, full-width forms or the kind of middle dot', () => {
    expect(nameKey(' 王　芳')).toBe(nameKey('王芳'));
    expect(nameKey('阿卜杜・热合曼')).toBe(nameKey('阿卜杜·热合曼'));
  });

  it('reads a workbook with a merged title, a header over two merged rows, blank rows and a merged total', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('2026年3月');
    sheet.addRow(['2026年3月职工餐费补贴发放表']);
    sheet.mergeCells('A1:E1');
    sheet.addRow(['序号', '工号', '姓名', '补贴', '']);
    sheet.addRow(['', '', '', '金额（元）', '备注']);
    for (const column of ['A', 'B', 'C']) sheet.mergeCells(`${column}2:${column}3`);
    sheet.mergeCells('D2:E2');
    sheet.addRow([1, 10263, '王芳', 300, '']);
    sheet.addRow([]);
    sheet.addRow(['内科']); // a block's heading, merged across the row
    sheet.mergeCells('A6:E6');
    sheet.addRow([2, '１０２６４', '　李　娜 ', '￥ 1,200.00', '补发']);
    sheet.addRow(['合计', '', '', 1500]);
    sheet.mergeCells('A8:C8');
    sheet.addRow(['制表：财务科', '', '', '', '']);
    sheet.mergeCells('A9:E9');
    const read = await readSpreadsheet('march.xlsx', new Uint8Array(await book.xlsx.writeBuffer()), LAYOUT);

    expect(read.sheetName).toBe('2026年3月');
    expect(read.titleLines).toEqual(['2026年3月职工餐费补贴发放表']);
    expect(read.columns).toEqual(['employeeNo', 'name', 'amount']);
    // The amount is the lower header cell (金额, under the merged 补贴), not 补贴 again over 备注.
    expect(rowsOf(read)).toEqual([
      [4, '10263', '王芳', '300'],
      [7, '10264', '李娜', '¥ 1,200.00'],
    ]);
    expect(read.totals).toEqual([
      { rowNumber: 8, employeeNo: '合计', name: '合计', amount: '1500', label: '合计', subtotal: false },
    ]);
  });

  it('reads a CSV whose header comes under a title and over two rows, with subtotals and a total', async () => {
    const read = await csv(
      [
        '职工餐费补贴发放表,,,',
        '单位：元,,,制表日期：2026-03-25',
        '序号,工号,姓名,补贴',
        ',,,金额',
        '1,A1,王芳,300',
        '2,A2,李娜,200',
        '小　计,,,500', // a label with a full-width space, in the 序号 column
        ',,,',
        '3,A3,张伟,100',
        ',,小计,100', // the label in the name column, the employee number blank
        '序号,工号,姓名,补贴', // the header again, on a second page
        '4,A4,赵磊,50',
        '合 计,,,650',
        ',,,', // nothing after the total
      ].join('\n'),
    );
    expect(read.titleLines).toEqual(['职工餐费补贴发放表', '单位:元 制表日期:2026-03-25']);
    expect(rowsOf(read)).toEqual([
      [5, 'A1', '王芳', '300'],
      [6, 'A2', '李娜', '200'],
      [9, 'A3', '张伟', '100'],
      [12, 'A4', '赵磊', '50'],
    ]);
    expect(read.totals.map((t) => [t.rowNumber, t.label, t.subtotal, t.amount])).toEqual([
      [7, '小计', true, '500'],
      [10, '小计', true, '100'],
      [13, '合计', false, '650'],
    ]);
  });

  it('keeps a row with an employee number even when a note on it says 合计', async () => {
    const read = await csv('工号,金额,备注\nA1,300,合计两个月\n');
    expect(rowsOf(read)).toEqual([[2, 'A1', '', '300']]);
    expect(read.totals).toEqual([]);
  });

  it('looks for the header in the first ten rows only', async () => {
    const titles = Array.from({ length: 10 }, (_, i) => `说明 ${i + 1}`).join('\n');
    const refused = await csv(`${titles}\n工号,金额\nA1,300\n`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('FILE_HEADER_MISSING');
    expect(rowsOf(await csv(`${titles.split('\n').slice(1).join('\n')}\n工号,金额\nA1,300\n`))).toEqual([
      [11, 'A1', '', '300'],
    ]);
  });
});
