import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { newCampus, newDepartment, newHospital, newPerson, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { isPhone, parseDay } from './import.ts';
import type { PeopleImportPreview, PeopleImportResult } from './schema.ts';

const BOM = '\uFEFF';
/** A prefix that keeps each test's employee numbers apart on the shared test database. */
const unique = (): string => randomBytes(3).toString('hex').toUpperCase();

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('人员');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const file = (fileName: string, bytes: Uint8Array | string) => ({
  fileName,
  contentBase64: Buffer.from(bytes).toString('base64'),
});

const statusByRow = (preview: PeopleImportPreview) =>
  Object.fromEntries(
    preview.rows.map((r) => [r.rowNumber, r.status === 'problem' ? r.problems.map((p) => p.code) : r.status]),
  );

describe('reading people files', () => {
  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026/3/1', '2026-03-01'],
    ['2026.3.1', '2026-03-01'],
    ['2026年3月1日', '2026-03-01'],
    ['20260301', '2026-03-01'],
    ['2026-02-30', null],
    ['2026-13-01', null],
    ['March 1st', null],
  ])('reads the joining date %j as %j', (text, day) => expect(parseDay(text)).toBe(day));

  it.each([
    ['13800138000', true],
    ['+86 138 0013 8000', true],
    ['0571-87654321', true],
    ['8021', true],
    ['138001380', false],
    ['phone', false],
    ['1380013800012345', false],
  ])('takes %j as a phone: %j', (text, ok) => expect(isPhone(text)).toBe(ok));
});

describeApp('people import', (get) => {
  let admin: string;
  let hospitalId: number;
  let departmentCode: string;
  let departmentName: string;

  beforeAll(async () => {
    const t = get();
    admin = (await signIn(t, ['admin'])).cookie;
    hospitalId = (await newHospital(t.database.db)).id;
    const campusId = (await newCampus(t.database.db)).id;
    const department = await newDepartment(t.database.db, { campusId, name: `心内科${unique()}` });
    departmentCode = department.code;
    departmentName = department.name;
  });

  const post = (url: string, payload: object, cookie = admin) =>
    get().app.inject({ method: 'POST', url, payload, headers: { cookie } });
  const previewOf = async (payload: object): Promise<PeopleImportPreview> => {
    const res = await post('/api/people/import/preview', payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('shows every problem of a workbook on its row, and creates the good rows with open wallets', async () => {
    const t = get();
    const p = unique();
    const someoneElse = await newPerson(t.database.db, { employeeNo: `${p}-TAKEN`, name: '王五' });
    const bytes = await workbook([
      ['2026年3月新入职人员'],
      ['工号', '姓名', '手机', '科室', '人员类别', '入职日期'],
      [`${p}-1`, '李雷', '13800138000', departmentCode, '职工', new Date(Date.UTC(2026, 2, 1))],
      [`${p}-2`, '韩梅梅', '', departmentName, '外包', '2026年3月2日'],
      [`${p}-3`, '赵六', '138-0013-800', 'NO-SUCH-DEPT', '医生', '2026-02-30'],
      [`${p}-4`, '钱七', '', '', '', ''],
      [`${p}-4`, '孙八', '', '', '', ''],
      [someoneElse.employeeNo, '周九', '', '', '访客', ''],
      ['', '无工号', '', '', '', ''],
      ['合计', '', '', '', '', ''],
    ]);
    const preview = await previewOf(file('新人.xlsx', bytes));
    expect(statusByRow(preview)).toEqual({
      3: 'new',
      4: 'new',
      5: ['DEPARTMENT_UNKNOWN', 'KIND_UNKNOWN', 'PHONE_MALFORMED', 'DATE_MALFORMED'],
      6: ['DUPLICATE_IN_FILE'],
      7: ['DUPLICATE_IN_FILE'],
      8: ['EMPLOYEE_NO_TAKEN'],
      9: ['EMPLOYEE_NO_MISSING'],
    });
    expect(preview.totals).toEqual({ rows: 7, new: 2, exists: 0, problem: 5 });
    expect(preview.rows[0]).toMatchObject({
      kind: 'staff',
      joinedOn: '2026-03-01',
      department: { code: departmentCode },
    });
    expect(preview.rows[1]).toMatchObject({
      kind: 'contractor',
      joinedOn: '2026-03-02',
      department: { name: departmentName },
    });

    const refused = await post('/api/people/import', file('新人.xlsx', bytes));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'IMPORT_HAS_PROBLEMS', rows: [5, 6, 7, 8, 9] });
    expect(await t.services.org.listPeople(hospitalId, { q: p, page: 1, pageSize: 20 })).toMatchObject({ total: 1 });

    const res = await post('/api/people/import', { ...file('新人.xlsx', bytes), skipProblemRows: true });
    expect(res.statusCode, res.body).toBe(200);
    const result: PeopleImportResult = res.json();
    expect(result.created.map((c) => [c.rowNumber, c.employeeNo])).toEqual([
      [3, `${p}-1`],
      [4, `${p}-2`],
    ]);
    expect(result.skippedProblemRows).toEqual([5, 6, 7, 8, 9]);
    for (const { personId } of result.created) {
      expect((await t.services.wallets.balances(personId)).status).toBe('open');
      const audit = await t.services.org.auditHistory({
        entity: 'person',
        entityId: String(personId),
        page: 1,
        pageSize: 5,
      });
      expect(audit.items.map((a) => a.action)).toEqual(['person.create']);
    }
    const li = await t.services.org.getPerson(hospitalId, result.created[0]?.personId ?? 0);
    expect(li).toMatchObject({ name: '李雷', phone: '13800138000', kind: 'staff', joinedOn: '2026-03-01' });
  });

  it('reads a CSV with Chinese headers and a BOM, and importing it again creates nobody twice', async () => {
    const t = get();
    const p = unique();
    const csv = `${BOM}工号,姓名,手机,科室,人员类别,入职日期\r\n${p}-1,张三,13900139000,${departmentCode},职工,2026-03-01\r\n${p}-2,"李 四",,,家属,\r\n`;
    const first = await previewOf(file('people.csv', csv));
    expect(first.totals).toEqual({ rows: 2, new: 2, exists: 0, problem: 0 });
    // A space between Chinese characters is padding (lists line up two-character names), not part of the name.
    expect(first.rows[1]).toMatchObject({ name: '李四', kind: 'patient_family', department: null });

    const created = await post('/api/people/import', file('people.csv', csv));
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().created).toHaveLength(2);

    const again = await previewOf(file('people.csv', csv));
    expect(statusByRow(again)).toEqual({ 2: 'exists', 3: 'exists' });
    const second = await post('/api/people/import', file('people.csv', csv));
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: [], totals: { rows: 2, new: 0, exists: 2, problem: 0 } });
    expect((await t.services.org.listPeople(hospitalId, { q: p, page: 1, pageSize: 20 })).total).toBe(2);
  });

  it('creates each person once when the same file is confirmed twice at the same moment', async () => {
    const t = get();
    const p = unique();
    const csv = `工号,姓名\r\n${p}-1,甲\r\n${p}-2,乙\r\n${p}-3,丙\r\n`;
    const [a, b] = await Promise.all([
      post('/api/people/import', file('same.csv', csv)),
      post('/api/people/import', file('same.csv', csv)),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const created = [...a.json().created, ...b.json().created].map((c: { employeeNo: string }) => c.employeeNo);
    expect(created.sort()).toEqual([`${p}-1`, `${p}-2`, `${p}-3`]);
    expect((await t.services.org.listPeople(hospitalId, { q: p, page: 1, pageSize: 20 })).total).toBe(3);
  });

  it('checks the file again at confirm: a number taken since the preview refuses the import', async () => {
    const t = get();
    const p = unique();
    const csv = `工号,姓名\r\n${p}-1,甲\r\n${p}-2,乙\r\n`;
    expect((await previewOf(file('late.csv', csv))).totals.new).toBe(2);
    await newPerson(t.database.db, { employeeNo: `${p}-2`, name: '别人' });
    const refused = await post('/api/people/import', file('late.csv', csv));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'IMPORT_HAS_PROBLEMS', rows: [3] });
    expect((await t.services.org.listPeople(hospitalId, { q: p, page: 1, pageSize: 20 })).total).toBe(1);
  });

  it('asks for the code when several departments share the name written', async () => {
    const t = get();
    const name = `普外科${unique()}`;
    const first = await newDepartment(t.database.db, { name });
    await newDepartment(t.database.db, { name });
    const csv = `工号,姓名,科室\r\n${unique()},甲,${name}\r\n${unique()},乙,${first.code}\r\n`;
    const preview = await previewOf(file('twins.csv', csv));
    expect(statusByRow(preview)).toEqual({ 2: ['DEPARTMENT_AMBIGUOUS'], 3: 'new' });
    expect(preview.rows[1]?.department?.id).toBe(first.id);
  });

  it('reads a sheet as an HR system exports it: a title, a header over two merged rows, full-width forms, a total', async () => {
    const p = unique();
    // Full-width letters and digits (Ａ１), as some systems and input methods write them.
    const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('3月入职');
    sheet.addRow(['2026年3月新入职人员名单']);
    sheet.mergeCells('A1:F1');
    sheet.addRow(['序号', '工号', '姓名', '联系方式', '', '科室']);
    sheet.addRow(['', '', '', '手机', '备注', '']);
    for (const column of ['A', 'B', 'C', 'F']) sheet.mergeCells(`${column}2:${column}3`);
    sheet.mergeCells('D2:E2');
    sheet.addRow([1, fullWidth(`${p}-1`), ' 李　雷 ', fullWidth('138 0013 8000'), '', departmentName]);
    sheet.addRow([]);
    sheet.addRow([2, `${p}-2 `, '韩梅梅', '', '实习', departmentCode]);
    sheet.addRow(['合计：2人']);
    sheet.mergeCells('A7:C7');
    const bytes = Buffer.from(await book.xlsx.writeBuffer());

    const preview = await previewOf(file('3月入职.xlsx', bytes));
    expect(statusByRow(preview)).toEqual({ 4: 'new', 6: 'new' });
    expect(preview.rows[0]).toMatchObject({ employeeNo: `${p}-1`, name: '李雷', phone: '138 0013 8000' });
    expect(preview.rows[1]).toMatchObject({ employeeNo: `${p}-2`, department: { code: departmentCode } });
  });

  it('reads a GBK CSV with English headers', async () => {
    const p = unique();
    // "Employee No,Name,Kind\r\n<no>,王,visitor" with the name in GBK (王 is 0xCD 0xF5).
    const head = Buffer.from(`Employee No,Name,Kind,Joined On\r\n${p}-1,`, 'ascii');
    const bytes = Buffer.concat([head, Buffer.from([0xcd, 0xf5]), Buffer.from(',visitor,2026/3/9\r\n', 'ascii')]);
    const preview = await previewOf(file('people.csv', bytes));
    expect(preview.rows[0]).toMatchObject({ name: '王', kind: 'visitor', joinedOn: '2026-03-09', status: 'new' });
  });

  it('refuses a file without employee number and name columns', async () => {
    const res = await post('/api/people/import/preview', file('x.csv', '手机,科室\r\n13800138000,内科\r\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('FILE_HEADER_MISSING');
  });

  it('hands out a template that reads back as an empty import', async () => {
    const res = await get().app.inject({
      method: 'GET',
      url: '/api/people/import/template.xlsx',
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]?.getRow(1).values).toEqual([
      undefined,
      '工号',
      '姓名',
      '手机',
      '科室',
      '人员类别',
      '入职日期',
    ]);
  });

  describe('who may import', () => {
    const cookies = new Map<string, string>();
    beforeAll(async () => {
      for (const role of ROLES) cookies.set(role, (await signIn(get(), [role])).cookie);
    });
    const calls = () => {
      const csv = `工号,姓名\r\n${unique()},新人\r\n`;
      return [
        { method: 'POST' as const, url: '/api/people/import/preview', payload: file('a.csv', csv) },
        { method: 'POST' as const, url: '/api/people/import', payload: file('a.csv', csv) },
        { method: 'GET' as const, url: '/api/people/import/template.xlsx' },
      ];
    };
    it.each(rolesWith('people.write'))('lets %s preview, import and download the template', async (role) => {
      for (const call of calls()) {
        const res = await get().app.inject({ ...call, headers: { cookie: cookies.get(role) ?? '' } });
        expect(res.statusCode, `${call.url} ${res.body}`).toBeLessThan(300);
      }
    });
    it.each(ROLES.filter((r) => !rolesWith('people.write').includes(r)))('refuses %s with 403', async (role) => {
      for (const call of calls()) {
        const res = await get().app.inject({ ...call, headers: { cookie: cookies.get(role) ?? '' } });
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    });
    it('refuses a request without a session with 401', async () => {
      for (const call of calls()) {
        const res = await get().app.inject(call);
        expect(res.statusCode).toBe(401);
      }
    });
  });
});
