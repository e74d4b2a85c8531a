import { randomBytes, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { newPerson, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/audit.ts';
import { parseMonth } from './file.ts';
import { cellText, decodeCsv, parseCsv } from '../../platform/spreadsheet.ts';
import { parseYuan } from '../../platform/money.ts';
import { codesByRow, rejection, subsidyKit, workbook } from './testing.ts';

const BOM = '\uFEFF';
const unique = (): string => randomBytes(3).toString('hex').toUpperCase();

describe('reading subsidy files', () => {
  it.each([
    ['2026-03', '2026-03'],
    ['2026/3', '2026-03'],
    ['2026.03', '2026-03'],
    ['2026年3月', '2026-03'],
    [' 2026 年 12 月 ', '2026-12'],
    ['202603', '2026-03'],
    ['2026-03-01', '2026-03'],
    ['2026年3月1日', '2026-03'],
    ['2026-13', null],
    ['March', null],
    ['', null],
  ])('reads the month %j as %j', (text, month) => expect(parseMonth(text)).toBe(month));

  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,1","say ""hi"""\r\n"two\nlines",,x\n')).toEqual([
      ['a', 'b,1', 'say "hi"'],
      ['two\nlines', '', 'x'],
    ]);
  });

  it('reads back any grid written as CSV, whatever the fields hold', () => {
    const field = fc.string({ unit: fc.constantFrom('a', '工', ',', '"', '\n', '\r', ' ', '1') });
    const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (grid) => {
        const text = grid.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
        expect(parseCsv(text)).toEqual(grid);
      }),
    );
  });

  it('reads a number cell of yuan as exactly its fen, never through float arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000_000 }), (fen) => {
        expect(parseYuan(cellText(fen / 100))).toBe(fen);
      }),
    );
  });

  it('decodes UTF-8 with a BOM, and GBK as Excel on Chinese Windows saves it', () => {
    expect(decodeCsv(new TextEncoder().encode(`${BOM}工号`)).replace(BOM, '')).toBe('工号');
    // 工号,姓名,金额 in GBK
    const gbk = Uint8Array.from([0xb9, 0xa4, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xbd, 0xf0, 0xb6, 0xee]);
    expect(decodeCsv(gbk)).toBe('工号,姓名,金额');
  });
});

describeApp('subsidy import (补贴导入)', (get) => {
  const t = (): TestApp => get();
  const subsidies = () => t().services.subsidies;
  const { hospitalId, staff, upload, confirm, subsidyFen } = subsidyKit(get);

  it('shows every problem of a mixed .xlsx on its row and grants nothing before confirmation', async () => {
    const [good, mismatch, left, dup, dated, chinese, mixed] = [
      await staff('王芳'),
      await staff('李娜'),
      await staff('赵磊', { left: true }),
      await staff('陈静'),
      await staff('刘洋'),
      await staff('杨敏'),
      await staff('黄伟'),
    ];
    const bytes = await workbook([
      ['工号', '姓名', '补贴金额', '月份'],
      [good.employeeNo, '王 芳', 300, '2026-03'], // 2: good (spaces in names are ignored)
      ['NOBODY1', '无名', 300, '2026-03'], // 3
      [mismatch.employeeNo, '李四', 300, '2026-03'], // 4
      [left.employeeNo, '赵磊', 300, '2026-03'], // 5
      [dup.employeeNo, '陈静', 0, '2026-03'], // 6: not positive, and duplicated by row 9
      [],
      [mixed.employeeNo, '黄伟', 'abc', '2026-03'], // 8: malformed
      [dup.employeeNo, '陈静', '12.505', '2026-03'], // 9: too precise, duplicate
      [dated.employeeNo, '刘洋', 250.5, new Date(Date.UTC(2026, 2, 1))], // 10: good, a date cell
      [chinese.employeeNo, '杨敏', '¥1,200.00', '2026年3月'], // 11: good
      [mixed.employeeNo, '黄伟', 100, '2026/04'], // 12: another month, and a duplicate of row 8
      ['', '某人', 100, '2026-03'], // 13
      [good.employeeNo.toLowerCase() + 'X', '王芳', '', 'March'], // 14
    ]);
    const batch = await upload('2026-03 补贴.xlsx', bytes);
    expect(batch).toMatchObject({ status: 'draft', month: '2026-03', lineCount: 12, problemLineCount: 9 });
    expect(codesByRow(batch)).toEqual({
      2: [],
      3: ['EMPLOYEE_UNKNOWN'],
      4: ['NAME_MISMATCH'],
      5: ['PERSON_LEFT'],
      6: ['AMOUNT_NOT_POSITIVE', 'DUPLICATE_IN_FILE'],
      8: ['AMOUNT_MALFORMED', 'DUPLICATE_IN_FILE'],
      9: ['AMOUNT_TOO_PRECISE', 'DUPLICATE_IN_FILE'],
      10: [],
      11: [],
      12: ['MONTH_MIXED', 'DUPLICATE_IN_FILE'],
      13: ['EMPLOYEE_NO_MISSING'],
      14: ['EMPLOYEE_UNKNOWN', 'AMOUNT_MISSING', 'MONTH_MALFORMED'],
    });
    expect(batch.goodLineCount).toBe(3);
    expect(batch.goodTotalFen).toBe(30_000 + 25_050 + 120_000);
    expect(batch.problemCounts['DUPLICATE_IN_FILE']).toBe(4);
    expect(batch.lines.find((l) => l.rowNumber === 10)).toMatchObject({ amountFen: 25_050, month: '2026-03' });
    expect(batch.lines.find((l) => l.rowNumber === 6)?.problems[1]?.message).toContain('rows 9');
    expect(await subsidyFen(good.id)).toBe(0);

    // Problems block the batch unless finance leaves the bad rows out explicitly.
    expect((await rejection(confirm(batch.id))).code).toBe('BATCH_HAS_PROBLEMS');
    expect(await subsidyFen(good.id)).toBe(0);
    const granted = await confirm(batch.id, { skipProblemRows: true });
    expect(granted).toMatchObject({ status: 'granted', grantedLineCount: 3, grantedTotalFen: 175_050 });
    expect(await subsidyFen(good.id)).toBe(30_000);
    expect(await subsidyFen(dated.id)).toBe(25_050);
    expect(await subsidyFen(chinese.id)).toBe(120_000);
    expect(await subsidyFen(mismatch.id)).toBe(0);
    const detail = await subsidies().getSubsidyBatch(await hospitalId(), batch.id);
    expect(detail.lines.filter((l) => l.granted).map((l) => l.rowNumber)).toEqual([2, 10, 11]);
  });

  it('finds the header under a title row and leaves the total row (合计) out', async () => {
    const [a, b] = [await staff('秦岚'), await staff('尤勇')];
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('三月');
    sheet.addRow(['2026年3月职工餐费补贴发放表']);
    sheet.mergeCells('A1:D1');
    sheet.addRow(['单位：元', '', '', '制表：财务科']);
    sheet.addRow([]);
    sheet.addRow(['序号', '员工编号', '姓名', '补贴金额（元）']);
    sheet.addRow([1, a.employeeNo, '秦岚', 300]);
    sheet.addRow([2, b.employeeNo, '尤勇', 280.5]);
    sheet.addRow(['', '', '合计', 580.5]);
    const batch = await upload('title.xlsx', new Uint8Array(await book.xlsx.writeBuffer()), '2026-03');
    expect(batch.lines.map((l) => [l.rowNumber, l.employeeNo, l.amountFen, l.problems])).toEqual([
      [5, a.employeeNo, 30_000, []],
      [6, b.employeeNo, 28_050, []],
    ]);
  });

  it('reads a UTF-8 CSV with a BOM, Chinese headers, quoted amounts and the month given for the batch', async () => {
    const [a, b] = [await staff('周杰'), await staff('吴昊')];
    const csv = `${BOM}工号,姓名,金额（元）\r\n${a.employeeNo},周杰,"1,000.00"\r\n"${b.employeeNo}","吴昊",300\r\n`;
    const batch = await upload('subsidy.csv', new TextEncoder().encode(csv), '2026年3月');
    expect(batch).toMatchObject({ month: '2026-03', lineCount: 2, problemLineCount: 0, goodTotalFen: 130_000 });
    expect(batch.lines.map((l) => [l.rowNumber, l.amountFen, l.month])).toEqual([
      [2, 100_000, '2026-03'],
      [3, 30_000, '2026-03'],
    ]);
  });

  it('reads English headers in a GBK-free plain CSV and flags a missing month on every row', async () => {
    const a = await staff('Li Lei');
    const csv = `Employee No,Name,Amount\n${a.employeeNo},Li Lei,300\n`;
    const batch = await upload('subsidy.csv', new TextEncoder().encode(csv));
    expect(codesByRow(batch)).toEqual({ 2: ['MONTH_MISSING'] });
    expect(batch.month).toBeNull();
  });

  it('refuses a file without the needed columns, or one that is not a workbook', async () => {
    const noAmount = await rejection(upload('x.csv', new TextEncoder().encode('工号,姓名\nA1,张三\n'), '2026-03'));
    expect(noAmount.code).toBe('FILE_HEADER_MISSING');
    expect((await rejection(upload('x.xlsx', new TextEncoder().encode('not a zip')))).code).toBe('FILE_UNREADABLE');
    expect((await rejection(upload('x.csv', new TextEncoder().encode('工号,金额\n'), '2026-03'))).code).toBe(
      'FILE_EMPTY',
    );
    expect((await rejection(upload('x.csv', new TextEncoder().encode('工号,金额\nA,1\n'), '三月'))).code).toBe(
      'MONTH_INVALID',
    );
  });

  it('grants exactly once: a double confirm, a re-import of the file and another file for the same month', async () => {
    const [a, b] = [await staff('孙丽'), await staff('马超')];
    const csv = new TextEncoder().encode(
      `工号,姓名,金额,月份\n${a.employeeNo},孙丽,300,2026-05\n${b.employeeNo},马超,200,2026-05\n`,
    );
    const batch = await upload('may.csv', csv);
    const key = randomUUID();
    const first = await confirm(batch.id, { key });
    expect(first).toMatchObject({ status: 'granted', grantedTotalFen: 50_000 });
    // The same key again replays; another key finds the batch granted. Neither grants.
    expect(await confirm(batch.id, { key })).toEqual(first);
    expect(await confirm(batch.id)).toEqual(first);
    // The same key for another request is refused.
    expect((await rejection(confirm(batch.id, { key, skipProblemRows: true }))).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await subsidyFen(a.id)).toBe(30_000);

    expect((await rejection(upload('may-again.csv', csv))).code).toBe('FILE_ALREADY_GRANTED');
    const other = await upload(
      'may-fix.csv',
      new TextEncoder().encode(
        `工号,姓名,金额,月份\n${a.employeeNo},孙丽,50,2026-05\n${b.employeeNo},马超,20,2026-06\n`,
      ),
    );
    expect(codesByRow(other)).toEqual({ 2: ['ALREADY_GRANTED'], 3: ['MONTH_MIXED'] });
    expect(await subsidyFen(a.id)).toBe(30_000);
    expect(await subsidyFen(b.id)).toBe(20_000);
  });

  it('grants once when two confirms of one batch race, and once when two drafts of one month race', async () => {
    const [a, b] = [await staff('钱多'), await staff('郑好')];
    const csv = new TextEncoder().encode(`工号,金额,月份\n${a.employeeNo},300,2026-07\n${b.employeeNo},100,2026-07\n`);
    const batch = await upload('july.csv', csv);
    const results = await Promise.allSettled([confirm(batch.id), confirm(batch.id), confirm(batch.id)]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await subsidyFen(a.id)).toBe(30_000);

    const c = await staff('冯帆');
    const sheet = (amount: number) => new TextEncoder().encode(`工号,金额,月份\n${c.employeeNo},${amount},2026-07\n`);
    const [one, two] = [await upload('c1.csv', sheet(300)), await upload('c2.csv', sheet(400))];
    const raced = await Promise.allSettled([confirm(one.id), confirm(two.id)]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = raced.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.code).toBe('BATCH_STALE');
    expect([30_000, 40_000]).toContain(await subsidyFen(c.id));
    const grants = await t()
      .database.db.selectFrom('subsidyGrants')
      .select('batchId')
      .where('personId', '=', c.id)
      .execute();
    expect(grants).toHaveLength(1);
  });

  it('cancels a draft, and refuses to cancel a granted batch or grant a cancelled one', async () => {
    const a = await staff('褚明');
    const csv = (m: string) => new TextEncoder().encode(`工号,金额\n${a.employeeNo},300\n`.replace('300', m));
    const draft = await upload('a.csv', csv('300'), '2026-08');
    const cancelled = await subsidies().cancelSubsidyBatch(await hospitalId(), draft.id, systemActor);
    expect(cancelled.status).toBe('cancelled');
    expect((await rejection(confirm(draft.id))).code).toBe('BATCH_CANCELLED');
    const granted = await upload('b.csv', csv('301'), '2026-08');
    await confirm(granted.id);
    expect((await rejection(subsidies().cancelSubsidyBatch(await hospitalId(), granted.id, systemActor))).code).toBe(
      'BATCH_NOT_DRAFT',
    );
    expect(await subsidyFen(a.id)).toBe(30_100);
  });
});

describeApp('subsidy import API', (get) => {
  const t = (): TestApp => get();
  const subsidies = () => t().services.subsidies;
  const allowed = rolesWith('subsidy.manage');
  const refused = ROLES.filter((r) => !allowed.includes(r));

  async function uploadAs(cookie: string, csv: string, month = '2026-09') {
    return t().app.inject({
      method: 'POST',
      url: '/api/subsidies/batches',
      headers: { cookie },
      payload: { fileName: 'sep.csv', contentBase64: Buffer.from(csv).toString('base64'), month },
    });
  }

  it.each(allowed)('lets %s upload, preview, list, confirm and cancel batches', async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const person = await newPerson(t().database.db, { name: '蒋琴', employeeNo: `S${unique()}` });
    await t().services.wallets.openWallets(null, [person]);
    const created = await uploadAs(cookie, `工号,姓名,金额\n${person.employeeNo},蒋琴,300\nNOBODY,无名,1\n`);
    expect(created.statusCode).toBe(201);
    const batch = created.json();
    expect(batch.lines.map((l: { problems: { code: string }[] }) => l.problems.map((p) => p.code))).toEqual([
      [],
      ['EMPLOYEE_UNKNOWN'],
    ]);
    expect((await t().app.inject({ url: `/api/subsidies/batches/${batch.id}`, headers: { cookie } })).json().id).toBe(
      batch.id,
    );
    const list = await t().app.inject({ url: '/api/subsidies/batches?status=draft&limit=5', headers: { cookie } });
    expect(list.json().items[0].id).toBe(batch.id);

    // The problem lines come back as a workbook that can be fixed and uploaded again.
    const exported = await t().app.inject({
      url: `/api/subsidies/batches/${batch.id}/lines.xlsx?problemsOnly=true`,
      headers: { cookie },
    });
    expect(exported.statusCode).toBe(200);
    const fixMe = new ExcelJS.Workbook();
    await fixMe.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const rows = fixMe.worksheets[0]!.getSheetValues().filter(Boolean) as ExcelJS.CellValue[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(1, 3)).toEqual(['NOBODY', '无名']);
    expect(String(rows[1]?.[5])).toContain('EMPLOYEE_UNKNOWN');
    const again = await subsidies().previewSubsidyBatch(
      {
        hospitalId: person.hospitalId,
        fileName: 'fix.xlsx',
        bytes: new Uint8Array(exported.rawPayload),
        month: '2026-09',
      },
      systemActor,
    );
    expect(again.lines.map((l) => [l.rowNumber, l.problems.map((p) => p.code)])).toEqual([[2, ['EMPLOYEE_UNKNOWN']]]);
    await subsidies().cancelSubsidyBatch(person.hospitalId, again.id, systemActor);

    const noKey = await t().app.inject({
      method: 'POST',
      url: `/api/subsidies/batches/${batch.id}/confirm`,
      headers: { cookie },
      payload: {},
    });
    expect(noKey.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const withProblems = await t().app.inject({
      method: 'POST',
      url: `/api/subsidies/batches/${batch.id}/confirm`,
      headers: { cookie, 'idempotency-key': randomUUID() },
      payload: {},
    });
    expect(withProblems.statusCode).toBe(409);
    expect(withProblems.json().code).toBe('BATCH_HAS_PROBLEMS');
    const confirmed = await t().app.inject({
      method: 'POST',
      url: `/api/subsidies/batches/${batch.id}/confirm`,
      headers: { cookie, 'idempotency-key': randomUUID() },
      payload: { skipProblemRows: true },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'granted', grantedTotalFen: 30_000 });
    const granted = await t().app.inject({
      url: '/api/subsidies/batches?status=granted&month=2026-09',
      headers: { cookie },
    });
    expect(granted.json().items.map((b: { id: number }) => b.id)).toContain(batch.id);
    expect(granted.json().items.every((b: { status: string }) => b.status === 'granted')).toBe(true);
    expect((await t().services.wallets.balances(person.id)).subsidyFen).toBe(30_000);

    const other = (await uploadAs(cookie, `工号,金额\n${person.employeeNo},1\n`, '2026-10')).json();
    const cancel = await t().app.inject({
      method: 'POST',
      url: `/api/subsidies/batches/${other.id}/cancel`,
      headers: { cookie },
    });
    expect(cancel.json().status).toBe('cancelled');

    const template = await t().app.inject({ url: '/api/subsidies/template.xlsx', headers: { cookie } });
    expect(template.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]?.getRow(1).values).toEqual([undefined, '工号', '姓名', '金额', '月份']);
  });

  it('accepts a file above the global body limit, and refuses one above 5 MB with 422', async () => {
    const { cookie } = await signIn(t(), ['finance']);
    const person = await newPerson(t().database.db, { employeeNo: `S${unique()}` });
    const note = 'x'.repeat(3 * 1024 * 1024);
    const big = await uploadAs(cookie, `工号,金额,备注\n${person.employeeNo},300,${note}\n`);
    expect(big.statusCode).toBe(201);
    expect(big.json().lineCount).toBe(1);
    const tooBig = await uploadAs(cookie, `工号,金额,备注\n${person.employeeNo},300,${note}${note}\n`);
    expect([413, 422]).toContain(tooBig.statusCode);
  });

  it('refuses a body that is not base64 or a file that is not .xlsx or .csv', async () => {
    const { cookie } = await signIn(t(), ['finance']);
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/subsidies/batches',
      headers: { cookie },
      payload: { fileName: 'a.xls', contentBase64: 'AAAA' },
    });
    expect(res.statusCode).toBe(400);
    const notBase64 = await t().app.inject({
      method: 'POST',
      url: '/api/subsidies/batches',
      headers: { cookie },
      payload: { fileName: 'a.csv', contentBase64: '工号,金额' },
    });
    expect(notBase64.json().code).toBe('FILE_ENCODING');
  });

  it.each(refused)('refuses %s every subsidy route (403)', async (role) => {
    const { cookie } = await signIn(t(), [role]);
    const attempts = [
      { method: 'POST' as const, url: '/api/subsidies/batches', payload: { fileName: 'a.csv', contentBase64: 'AAAA' } },
      { method: 'GET' as const, url: '/api/subsidies/batches' },
      { method: 'GET' as const, url: '/api/subsidies/batches/1' },
      { method: 'GET' as const, url: '/api/subsidies/batches/1/lines.xlsx' },
      { method: 'POST' as const, url: '/api/subsidies/batches/1/confirm', payload: {} },
      { method: 'POST' as const, url: '/api/subsidies/batches/1/cancel' },
      { method: 'GET' as const, url: '/api/subsidies/template.xlsx' },
    ];
    for (const attempt of attempts) {
      const res = await t().app.inject({ ...attempt, headers: { cookie } });
      expect([attempt.url, res.statusCode]).toEqual([attempt.url, 403]);
    }
  });

  it('answers 401 without a session on every subsidy route', async () => {
    for (const [method, url] of [
      ['GET', '/api/subsidies/batches'],
      ['GET', '/api/subsidies/batches/1'],
      ['POST', '/api/subsidies/batches/1/cancel'],
      ['GET', '/api/subsidies/template.xlsx'],
    ] as const) {
      expect((await t().app.inject({ method, url })).statusCode).toBe(401);
    }
    const upload = await t().app.inject({
      method: 'POST',
      url: '/api/subsidies/batches',
      payload: { fileName: 'a.csv', contentBase64: 'AAAA' },
    });
    expect(upload.statusCode).toBe(401);
    const confirm = await t().app.inject({ method: 'POST', url: '/api/subsidies/batches/1/confirm', payload: {} });
    expect(confirm.statusCode).toBe(401);
  });
});
