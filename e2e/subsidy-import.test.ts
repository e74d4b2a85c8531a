// Finance imports a month's subsidies: a file with good and bad rows, every problem shown on its row,
// then a grant of the good rows only; the nurse's phone shows the subsidy in her balance.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { findPersonByApi, formatFen, signInByApi, signInToConsole, walletOf } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Full-width digits, as some finance systems write them: 10263 → １０２６３. */
const fullWidth = (text: string) => text.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Finance signed in to the console, and the demo people the sheets name. */
async function financeConsole() {
  const page = await journey().newPage();
  await page.goto('/admin/');
  await signInToConsole(page, 'finance', DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/cash-top-up/);
  const staff = await findPersonByApi(page, '王晓燕');
  const admin = await findPersonByApi(page, '林志远');
  const cashier = await findPersonByApi(page, '黄丽娟');
  const clerk = await findPersonByApi(page, '陈静');
  return { page, staff, admin, cashier, clerk, before: await walletOf(page, staff.id) };
}

describe('subsidy import', () => {
  it('previews problems on their rows, grants only the good rows, and the phone shows the grant', async () => {
    const { page, staff, admin, cashier, clerk: financeClerk, before } = await financeConsole();

    // The sheet as finance writes it: Chinese headers, amounts in yuan; rows 4–6 are wrong.
    const csv = [
      '工号,姓名,金额,月份',
      `${staff.employeeNo},${staff.name},300.00,2024-07`,
      `${admin.employeeNo},${admin.name},150,2024-07`,
      '99999,无此人,200,2024-07',
      `${financeClerk.employeeNo},张冠李戴,100,2024-07`,
      `${cashier.employeeNo},${cashier.name},abc,2024-07`,
    ].join('\r\n');

    await page.getByRole('menuitem', { name: '补贴导入', exact: true }).click();
    await page.waitForURL(/\/admin\/subsidies/);
    await shoot(page, 'admin-subsidy-upload');
    await page
      .locator('.el-upload input[type=file]')
      .setInputFiles({ name: '2024年7月补贴.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

    await page.getByTestId('import-stats').waitFor();
    expect(await page.getByTestId('import-ready').innerText()).toBe('2');
    expect(await page.getByTestId('import-problems').innerText()).toBe('3');
    expect(await page.getByTestId('subsidy-total').innerText()).toBe('¥450.00');
    // With problems, the table opens on the problem rows, each problem on its own row.
    expect(await page.locator('.subsidy-row-4').innerText()).toContain('工号不存在');
    expect(await page.locator('.subsidy-row-5').innerText()).toContain('姓名与工号不符');
    expect(await page.locator('.subsidy-row-6').innerText()).toContain('金额格式不正确');
    expect(await page.locator('.subsidy-row-2').count()).toBe(0);
    await shoot(page, 'admin-subsidy-preview-problems');

    await page.getByTestId('import-only-problems').click();
    await page.locator('.subsidy-row-2').waitFor();
    expect(await page.locator('.subsidy-row-2').innerText()).toContain('¥300.00');
    expect(await page.locator('.subsidy-row-2').innerText()).toContain('正常');
    await shoot(page, 'admin-subsidy-preview');

    await page.getByTestId('import-next').click();
    expect(await page.getByTestId('import-summary').innerText()).toBe('将向 2 人发放 2024-07 补贴，共 ¥450.00');
    // Nothing is granted while problem rows remain, until finance chooses to skip them.
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await page.getByTestId('import-skip').click();
    await shoot(page, 'admin-subsidy-confirm');
    await page.getByTestId('import-confirm').click();
    await page.locator('.el-message-box').getByRole('button', { name: '确认发放' }).click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('已发放：2 人，共 ¥450.00');
    await page.getByTestId('subsidy-chart').waitFor();
    await shoot(page, 'admin-subsidy-granted');

    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    await phone.goto('/m/');
    await phone.getByTestId('wallet-subsidy').waitFor();
    expect(await phone.getByTestId('wallet-subsidy').innerText()).toContain(formatFen(before.subsidyFen + 30000));
    expect(await phone.getByTestId('wallet-available').innerText()).toBe(formatFen(before.availableFen + 30000));
    const latest = phone.getByTestId('latest-movements');
    expect(await latest.innerText()).toContain('补贴发放');
    expect(await latest.innerText()).toContain('+¥300.00');
    await shoot(phone, 'm-home-subsidy');

    // The statement, its kind filter, and one item's detail.
    await phone.getByTestId('go-statement').click();
    await phone.waitForURL(/\/m\/statement/);
    await phone.locator('.movement').first().waitFor();
    await shoot(phone, 'm-statement');
    // Filtering by kind asks the server again. (The menu's titles: kind, dates.)
    const kindMenu = phone.locator('.van-dropdown-menu__item').nth(0);
    const datesMenu = phone.locator('.van-dropdown-menu__item').nth(1);
    await kindMenu.click();
    await phone.locator('.van-dropdown-item__option:visible', { hasText: '补贴发放' }).click();
    await expect
      .poll(async () =>
        (await phone.locator('.movement .van-cell__title > span').allInnerTexts()).every((k) => k === '补贴发放'),
      )
      .toBe(true);
    await datesMenu.click();
    await phone.locator('.van-calendar').waitFor();
    await phone.waitForTimeout(400); // the dropdown's slide, for the picture
    await shoot(phone, 'm-statement-dates');
    await datesMenu.click();
    await phone.locator('.movement').first().click();
    await phone.waitForURL(/\/m\/statement\/\d+/);
    expect(await phone.getByTestId('movement-amount').innerText()).toBe('+¥300.00');
    expect(await phone.getByTestId('movement-detail').innerText()).toContain('补贴发放');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shoot(phone, 'm-movement');
  });

  it("reads a finance office's export, warns that its total does not add up, and grants only the good rows", async () => {
    const { page, staff, admin, cashier, clerk, before } = await financeConsole();

    // As the finance system exports it: a title naming the month, column names over two merged rows,
    // full-width digits, amounts as text, a blank row, the clerk twice, a total that is off by ¥149.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('2024年8月');
    sheet.addRow(['2024年8月职工餐费补贴发放表']);
    sheet.mergeCells('A1:E1');
    sheet.addRow(['序号', '工号', '姓名', '补贴', '']);
    sheet.addRow(['', '', '', '金额（元）', '备注']);
    for (const column of ['A', 'B', 'C']) sheet.mergeCells(`${column}2:${column}3`);
    sheet.mergeCells('D2:E2');
    for (const row of [
      [1, fullWidth(staff.employeeNo), staff.name.split('').join('　'), '￥300.00'], // 4
      [], // 5
      [2, admin.employeeNo, admin.name, '¥ 150'], // 6
      [3, '99999', '无此人', 200], // 7
      [4, cashier.employeeNo, cashier.name, 'abc'], // 8
      [5, clerk.employeeNo, clerk.name, 100], // 9
      [6, clerk.employeeNo, clerk.name, 100], // 10
      ['合计', '', '', 999], // 11
    ]) {
      sheet.addRow(row);
    }
    sheet.mergeCells('A11:C11');

    await page.getByRole('menuitem', { name: '补贴导入', exact: true }).click();
    await page.waitForURL(/\/admin\/subsidies/);
    await page.locator('.el-upload input[type=file]').setInputFiles({
      name: '2024年8月补贴.xlsx',
      mimeType: XLSX,
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });

    await page.getByTestId('import-stats').waitFor();
    expect(await page.getByTestId('import-ready').innerText()).toBe('2');
    expect(await page.getByTestId('import-problems').innerText()).toBe('4');
    expect(await page.getByTestId('subsidy-total').innerText()).toBe('¥450.00');
    expect(await page.getByTestId('import-warnings').innerText()).toContain(
      '第 11 行“合计”为 ¥999.00，但所合计各行之和为 ¥850.00',
    );
    expect(await page.locator('.subsidy-row-9').innerText()).toContain('与第 10 行是同一人');
    expect(await page.locator('.subsidy-row-10').innerText()).toContain('与第 9 行是同一人');
    await shoot(page, 'admin-subsidy-export-preview');

    await page.getByTestId('import-next').click();
    expect(await page.getByTestId('import-summary').innerText()).toBe('将向 2 人发放 2024-08 补贴，共 ¥450.00');
    await page.getByTestId('import-skip').click();
    await page.getByTestId('import-confirm').click();
    await page.locator('.el-message-box').getByRole('button', { name: '确认发放' }).click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('已发放：2 人，共 ¥450.00');
    expect((await walletOf(page, staff.id)).subsidyFen).toBe(before.subsidyFen + 30000);
  });
});
