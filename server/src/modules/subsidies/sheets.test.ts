// Subsidy files as finance offices really export them, and the rules that keep one row's problem
// from holding back another person's grant; previews that leave nothing behind.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { systemActor } from '../../platform/audit.ts';
import { importSubsidiesFromFile } from './cli.ts';
import { PREVIEW_TTL_MS } from './service.ts';
import { codesByRow, rejection, subsidyKit, utf8, workbook } from './testing.ts';

/** Full-width digits, as some finance systems and input methods write them: 10263 → １０２６３. */
const fullWidth = (text: string) => text.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describeApp('subsidy files as finance exports them', (get) => {
  const { hospitalId, staff, upload, confirm, subsidyFen } = subsidyKit(get);

  it('gives every row of a realistic monthly sheet the right verdict, and grants exactly its good rows', async () => {
    const wang = await staff('王芳', { digits: true });
    const li = await staff('李娜', { digits: true });
    const zhang = await staff('张伟', { digits: true });
    const zhao = await staff('赵磊', { digits: true, left: true });
    const chen = await staff('陈静', { digits: true });
    const liu = await staff('刘洋', { digits: true });
    const yang = await staff('杨敏', { digits: true });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('2026年3月');
    sheet.addRow(['2026年3月职工餐费补贴发放表']);
    sheet.mergeCells('A1:F1');
    sheet.addRow(['单位：元', '', '', '', '', '制表：财务科']);
    sheet.addRow(['序号', '工号', '姓名', '科室', '补贴', '']);
    sheet.addRow(['', '', '', '', '金额（元）', '备注']);
    for (const column of ['A', 'B', 'C', 'D']) sheet.mergeCells(`${column}3:${column}4`);
    sheet.mergeCells('E3:F3');
    const rows: ExcelJS.CellValue[][] = [
      [1, Number(wang.employeeNo), '王芳', '内科', 300], // 5: a number cell
      [2, fullWidth(li.employeeNo), ' 李　娜 ', '内科', '￥1,200.00'], // 6: full-width digits and spaces
      [], // 7
      [3, zhang.employeeNo, '张伟 ', '外科', '¥ 1 200.50 '], // 8: a space between thousands
      [4, '99999999', '无名', '外科', 300], // 9
      [5, zhao.employeeNo, '赵磊', '外科', 300], // 10: has left
      [6, chen.employeeNo, '陈静', '儿科', 300], // 11: twice
      [7, liu.employeeNo, '刘洋', '儿科', '三百'], // 12
      [8, `${fullWidth(yang.employeeNo)} `, '杨敏', '儿科', fullWidth('280.00')], // 13
      [9, chen.employeeNo, '陈 静', '儿科', 300], // 14: the same person again
      ['合计', '', '', '', 4180.5], // 15: every readable amount above
    ];
    for (const row of rows) sheet.addRow(row);
    sheet.mergeCells('A15:D15');

    // No month given: the title names it.
    const batch = await upload('2026年3月补贴.xlsx', new Uint8Array(await book.xlsx.writeBuffer()));
    expect(batch).toMatchObject({ month: '2026-03', lineCount: 9, problemLineCount: 5, goodLineCount: 4 });
    expect(codesByRow(batch)).toEqual({
      5: [],
      6: [],
      8: [],
      9: ['EMPLOYEE_UNKNOWN'],
      10: ['PERSON_LEFT'],
      11: ['DUPLICATE_IN_FILE'],
      12: ['AMOUNT_MALFORMED'],
      13: [],
      14: ['DUPLICATE_IN_FILE'],
    });
    expect(batch.lines.find((l) => l.rowNumber === 11)?.problems[0]?.rows).toEqual([14]);
    expect(batch.lines.find((l) => l.rowNumber === 14)?.problems[0]?.rows).toEqual([11]);
    expect(batch.lines.find((l) => l.rowNumber === 6)).toMatchObject({ employeeNo: li.employeeNo, amountFen: 120_000 });
    expect(batch.goodTotalFen).toBe(30_000 + 120_000 + 120_050 + 28_000);
    expect(batch.warnings).toEqual([]);

    const granted = await confirm(batch.id, { skipProblemRows: true });
    expect(granted).toMatchObject({ status: 'granted', grantedLineCount: 4, grantedTotalFen: 298_050 });
    const fen = await Promise.all([wang, li, zhang, yang, chen, liu, zhao].map((p) => subsidyFen(p.id)));
    expect(fen).toEqual([30_000, 120_000, 120_050, 28_000, 0, 0, 0]);
  });

  it('warns, with what it says and what the rows add up to, when a subtotal or the total does not add up', async () => {
    const [a, b, c] = [await staff('秦岚'), await staff('尤勇'), await staff('许晴')];
    const csv = [
      '工号,姓名,金额',
      `${a.employeeNo},秦岚,300`,
      `${b.employeeNo},尤勇,200`,
      ',小计,500', // right
      '',
      `${c.employeeNo},许晴,100`,
      'NOBODY,无名,abc',
      ',小计,150', // wrong: the block is 100 and an unreadable amount
      '合 计,,700', // wrong: everything above is 600
    ].join('\n');
    const batch = await upload('blocks.csv', utf8(csv), '2026-03');
    expect(batch.lines.map((l) => l.rowNumber)).toEqual([2, 3, 6, 7]);
    expect(batch.warnings).toEqual([
      expect.objectContaining({
        code: 'TOTAL_MISMATCH',
        rowNumber: 8,
        label: '小计',
        expectedFen: 15_000,
        actualFen: 10_000,
        rows: [7],
      }),
      expect.objectContaining({
        code: 'TOTAL_MISMATCH',
        rowNumber: 9,
        label: '合计',
        expectedFen: 70_000,
        actualFen: 60_000,
      }),
    ]);
    expect(batch.warnings[0]?.message).toContain('row 8 (小计) says ¥150.00, the rows of its block add up to ¥100.00');
    // A warning blocks nothing; the totals rows are never granted.
    expect(await confirm(batch.id, { skipProblemRows: true })).toMatchObject({ grantedTotalFen: 60_000 });
  });

  it('takes the month from the title or the sheet name, and warns when the batch is for another month', async () => {
    const a = await staff('周杰');
    const fromSheetName = await upload(
      'april.xlsx',
      await workbook(
        [
          ['工号', '金额'],
          [a.employeeNo, 300],
        ],
        '2026年4月',
      ),
    );
    expect(fromSheetName).toMatchObject({ month: '2026-04', problemLineCount: 0, warnings: [] });

    const titled = utf8(`2026年3月职工餐费补贴发放表,\n制表日期：2026-04-02,\n工号,金额\n${a.employeeNo},300\n`);
    const otherMonth = await upload('march.csv', titled, '2026-05');
    expect(otherMonth.month).toBe('2026-05');
    expect(otherMonth.warnings).toEqual([
      expect.objectContaining({ code: 'MONTH_DIFFERS_FROM_TITLE', month: '2026-03' }),
    ]);
  });

  it("never holds back a person's good row for another row's problem: skipping problem rows grants exactly the good ones", async () => {
    const first = await staff('孙丽');
    const wang = await staff('王芳');
    const chen = await staff('陈静');
    const returned = await staff('钱多');
    const good = await staff('郑好');
    const noWallet = await staff('韩雪', { wallet: false });
    await get().services.closing.closeWallets(null, [returned.id], systemActor); // 退卡 done, leaving not yet recorded
    const csv = [
      '工号,姓名,金额,月份',
      `${first.employeeNo},孙丽,300,2026-02`, // 2: a typo in the first row's month does not move the batch
      `${wang.employeeNo},王芳,300,2026-03`, // 3
      `${wang.employeeNo},李娜,300,2026-03`, // 4: 王芳's number with another name: not 王芳 twice
      `${chen.employeeNo},陈静,300,2026-03`, // 5: 陈静 three times, one with a bad amount
      `${chen.employeeNo},陈静,abc,2026-03`, // 6
      `${returned.employeeNo},钱多,300,2026-03`, // 7: account returned (退卡)
      `${good.employeeNo},郑好,250,2026-03`, // 8
      `${chen.employeeNo},陈静,200,2026-03`, // 9
      `${noWallet.employeeNo},韩雪,300,2026-03`, // 10
    ].join('\n');
    const batch = await upload('mixed.csv', utf8(csv));
    expect(batch.month).toBe('2026-03');
    expect(codesByRow(batch)).toEqual({
      2: ['MONTH_MIXED'],
      3: [],
      4: ['NAME_MISMATCH'],
      5: ['DUPLICATE_IN_FILE'],
      6: ['AMOUNT_MALFORMED', 'DUPLICATE_IN_FILE'],
      7: ['WALLET_CLOSED'],
      8: [],
      9: ['DUPLICATE_IN_FILE'],
      10: ['NO_WALLET'],
    });
    expect(batch.lines.find((l) => l.rowNumber === 6)?.problems[1]).toMatchObject({
      message: expect.stringContaining('rows 5, 9'),
      rows: [5, 9],
    });

    expect((await rejection(confirm(batch.id))).code).toBe('BATCH_HAS_PROBLEMS');
    const granted = await confirm(batch.id, { skipProblemRows: true });
    expect(granted).toMatchObject({ grantedLineCount: 2, grantedTotalFen: 55_000 });
    expect(await Promise.all([wang, good, first, chen].map((p) => subsidyFen(p.id)))).toEqual([30_000, 25_000, 0, 0]);
    const detail = await get().services.subsidies.getSubsidyBatch(await hospitalId(), batch.id);
    expect(detail.lines.filter((l) => l.granted).map((l) => l.rowNumber)).toEqual([3, 8]);
  });

  it('refuses the confirm, naming the row, when an account was closed after the preview', async () => {
    const [stays, goes] = [await staff('沈冰'), await staff('冯帆')];
    const batch = await upload(
      'w.csv',
      utf8(`工号,金额\n${stays.employeeNo},300\n${goes.employeeNo},300\n`),
      '2026-11',
    );
    expect(batch.problemLineCount).toBe(0);
    await get().services.closing.closeWallets(null, [goes.id], systemActor);
    const refused = await rejection(confirm(batch.id));
    expect(refused.code).toBe('BATCH_STALE');
    expect(refused.details).toEqual({ rows: [{ rowNumber: 3, code: 'WALLET_CLOSED' }] });
    expect(await subsidyFen(stays.id)).toBe(0);
  });

  it('keeps previews out of the history and deletes those not granted a day later', async () => {
    const subsidies = get().services.subsidies;
    const clock = get().clock;
    const startedAt = clock.now();
    const a = await staff('褚明');
    const sheet = (amount: number) => utf8(`工号,金额\n${a.employeeNo},${amount}\n`);
    const kept = await upload('kept.csv', sheet(300), '2026-06');
    const left = await upload('left.csv', sheet(301), '2026-06');
    expect(new Date(left.expiresAt ?? '').getTime() - new Date(left.createdAt).getTime()).toBe(PREVIEW_TTL_MS);
    const history = async (status?: 'draft') =>
      (await subsidies.listSubsidyBatches(await hospitalId(), status ? { status } : {})).map((b) => b.id);
    expect(await history()).not.toContain(left.id);
    expect(await history('draft')).toEqual(expect.arrayContaining([kept.id, left.id]));

    const granted = await confirm(kept.id);
    expect(granted.expiresAt).toBeNull();
    try {
      clock.advance(PREVIEW_TTL_MS);
      expect((await rejection(confirm(left.id))).code).toBe('BATCH_EXPIRED');
      expect(await history('draft')).not.toContain(left.id);
      // The next preview takes the expired one away, lines and all; the granted batch stays.
      await upload('next.csv', sheet(302), '2026-07');
      expect((await rejection(subsidies.getSubsidyBatch(await hospitalId(), left.id))).code).toBe('NOT_FOUND');
      const lines = await get()
        .database.db.selectFrom('subsidyLines')
        .select('id')
        .where('batchId', '=', left.id)
        .execute();
      expect(lines).toEqual([]);
      expect(await history()).toContain(kept.id);
    } finally {
      clock.set(startedAt);
    }
  });

  it('grants only the good rows from the command line with --skip-problem-rows, and prints the warnings', async () => {
    const [a, b] = [await staff('蒋琴'), await staff('杨帆')];
    const folder = await mkdtemp(join(tmpdir(), 'subsidy-cli-'));
    const path = join(folder, '2026年8月补贴.csv');
    await writeFile(path, `工号,金额\n${a.employeeNo},300\nNOBODY,100\n${b.employeeNo},200\n合计,900\n`);
    const output: string[] = [];
    try {
      const code = await importSubsidiesFromFile(
        get().services.directory,
        get().services.subsidies,
        { file: path, month: '2026-08', confirm: true, skipProblemRows: true },
        (line) => output.push(line),
      );
      expect(code).toBe(0);
    } finally {
      await rm(folder, { recursive: true });
    }
    expect(output.join('\n')).toContain('warning (TOTAL_MISMATCH)');
    expect(output.at(-1)).toMatch(/^granted batch \d+: 2 people, ¥500\.00/);
    expect([await subsidyFen(a.id), await subsidyFen(b.id)]).toEqual([30_000, 20_000]);
  });
});
