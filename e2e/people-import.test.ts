// HR imports new hires from a CSV: every problem shown on its row, the good rows created (their
// accounts open), the new person found in the people list; the same file again creates nobody.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, signInToConsole } from './pages.ts';

const journey = useJourney();

describe('people import', () => {
  it('imports the good rows of a CSV and the new person is in the people list', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/');
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/people/);

    // Chinese headers as HR exports them; row 4 names a department the hospital does not have.
    const csv = [
      '工号,姓名,手机,科室,人员类别,入职日期',
      'IMP001,宋佳怡,13912345678,FCK,职工,2026-03-01',
      'IMP002,欧阳明,,妇产科,外包,2026年3月2日',
      'IMP003,何必,,不存在的科室,职工,2026-03-01',
    ].join('\r\n');
    const upload = (name: string) =>
      page
        .locator('.el-upload input[type=file]')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

    await page.getByTestId('people-import').click();
    await page.waitForURL(/\/admin\/people\/import/);
    await shoot(page, 'admin-people-import-upload');
    await upload('三月新入职.csv');

    await page.getByTestId('import-stats').waitFor();
    expect(await page.getByTestId('import-ready').innerText()).toBe('2');
    expect(await page.getByTestId('import-problems').innerText()).toBe('1');
    // With problems, the table opens on the problem rows.
    expect(await page.locator('.import-row-4').innerText()).toContain('找不到该科室');
    expect(await page.locator('.import-row-2').count()).toBe(0);
    await page.getByTestId('import-only-problems').click();
    await page.locator('.import-row-2').waitFor();
    expect(await page.locator('.import-row-2').innerText()).toContain('新建');
    await shoot(page, 'admin-people-import-preview');

    await page.getByTestId('import-next').click();
    expect(await page.getByTestId('import-summary').innerText()).toBe('将新建 2 人，每人自动开通账户');
    // Nothing is imported while a problem row remains, until the admin chooses to skip it.
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await page.getByTestId('import-skip').click();
    await page.getByTestId('import-confirm').click();
    await page.locator('.el-message-box').getByRole('button', { name: '确认导入' }).click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toContain('已新建 2 人');
    await page.locator('.el-message-box').waitFor({ state: 'hidden' });
    await shoot(page, 'admin-people-import-done');

    await page.getByTestId('import-to-people').click();
    await page.waitForURL(/\/admin\/people(\?|$)/);
    await field(page, 'people-search').fill('宋佳怡');
    await expect.poll(() => page.locator('.el-table__body .el-table__row').count()).toBe(1);
    expect(await page.locator('.person-row-IMP001').innerText()).toContain('妇产科');

    // Her account opened with the import.
    const { items } = (await (await page.request.get('/api/people?q=IMP001')).json()) as { items: { id: number }[] };
    const wallet = await page.request.get(`/api/people/${items[0]?.id ?? 0}/wallet`);
    expect(((await wallet.json()) as { status: string }).status).toBe('open');

    // The same file again: those two show as already there, and nothing is created twice.
    await page.getByTestId('people-import').click();
    await upload('三月新入职.csv');
    await page.getByTestId('import-stats').waitFor();
    expect(await page.getByTestId('import-exists').innerText()).toBe('2');
    expect(await page.getByTestId('import-ready').innerText()).toBe('0');
    await page.getByTestId('import-only-problems').click();
    expect(await page.locator('.import-row-2').innerText()).toContain('已存在');
  });
});
