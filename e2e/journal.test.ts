// An auditor browses the journal: the cash top-up a cashier took is one entry whose postings balance.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, findPersonByApi, openDialog, signInByApi, signInToConsole } from './pages.ts';

const journey = useJourney();

describe('journal browser', () => {
  it('shows the cash top-up as a balanced entry with its postings', async () => {
    const counter = await journey().newPage();
    await signInByApi(counter, 'cashier', DEMO_PASSWORD);
    const staff = await findPersonByApi(counter, '王晓燕');
    const response = await counter.request.post('/api/ledger/cash-top-ups', {
      headers: { 'idempotency-key': randomUUID() },
      data: { personId: staff.id, amountFen: 8800, counter: 'HB-CASH', memo: '午餐充值' },
    });
    expect(response.status()).toBe(200);
    const { entryId } = (await response.json()) as { entryId: number };

    const page = await journey().newPage();
    await page.goto('/admin/');
    await signInToConsole(page, 'auditor', DEMO_PASSWORD);
    // The journal is the auditor's first screen.
    await page.waitForURL(/\/admin\/journal/);
    const row = page.locator(`.journal-row-${entryId}`);
    await row.waitFor();
    expect(await row.innerText()).toContain('充值');
    expect(await row.innerText()).toContain('¥88.00');
    expect(await row.innerText()).toContain('收银台 HB-CASH');
    await page.getByTestId(`balanced-${entryId}`).waitFor();

    await row.locator('.el-table__expand-icon').click();
    const postings = page.getByTestId(`postings-${entryId}`);
    await postings.waitFor();
    const text = await postings.innerText();
    expect(text).toContain('收银台现金');
    expect(text).toContain('-¥88.00');
    expect(text).toContain('个人充值');
    expect(text).toContain('+¥88.00');
    expect(text).toContain('借贷平衡');
    expect(await postings.getByTestId('postings-sum').innerText()).toBe('¥0.00');
    await shoot(page, 'admin-journal');

    // The same in English.
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Journal' }).waitFor();
    expect(await postings.innerText()).toContain('Counter cash');
    expect(await postings.innerText()).toContain('Balanced');
    await shoot(page, 'admin-journal-en');

    // Filtering by kind keeps the top-up and drops other kinds.
    await page.getByTestId('journal-kinds').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'Subsidy' }).first().click();
    await page.keyboard.press('Escape');
    await expect.poll(() => row.count()).toBe(0);
  });

  it('lets finance reverse an entry with a reason; the reversal is a new balanced entry', async () => {
    const counter = await journey().newPage();
    await signInByApi(counter, 'cashier', DEMO_PASSWORD);
    const staff = await findPersonByApi(counter, '王晓燕');
    const response = await counter.request.post('/api/ledger/cash-top-ups', {
      headers: { 'idempotency-key': randomUUID() },
      data: { personId: staff.id, amountFen: 1200, counter: 'XC-CASH' },
    });
    const { entryId } = (await response.json()) as { entryId: number };

    const page = await journey().newPage();
    await page.goto('/admin/journal');
    await signInToConsole(page, 'finance', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/journal/);
    // Nothing is posted before finance has seen what will be reversed, and whose money it is.
    const dialog = await openDialog(
      page,
      page.getByTestId(`reverse-${entryId}`),
      `冲正流水 #${entryId}`,
      'reversal-reason',
    );
    expect(await dialog.getByTestId('reversal-entry').innerText()).toContain('充值');
    expect(await dialog.getByTestId('reversal-amount').innerText()).toBe('¥12.00');
    const postings = dialog.getByTestId('reversal-postings');
    await expect.poll(() => postings.innerText()).toContain(`王晓燕（${staff.employeeNo}）`);
    expect(await postings.innerText()).toContain('收银台现金');
    expect(await postings.innerText()).toContain('个人充值');
    expect(await postings.innerText()).toContain('-¥12.00');
    expect(await postings.innerText()).toContain('+¥12.00');
    // A reason is required.
    await dialog.getByTestId('form-submit').click();
    await dialog.getByText('请填写冲正原因（至少 2 个字）').waitFor();
    expect(await page.locator(`.journal-row-${entryId}`).innerText()).not.toContain('已被流水');
    await field(page, 'reversal-reason').fill('收银台多收，退回现金');
    await shoot(page, 'admin-journal-reversal-dialog');
    await field(page, 'reversal-reason').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('已冲正').waitFor();

    const original = page.locator(`.journal-row-${entryId}`);
    await expect.poll(() => original.innerText()).toContain('已被流水');
    expect(await page.getByTestId(`reverse-${entryId}`).count()).toBe(0);
    const reversal = page.locator('.el-table__row', { hasText: `冲正流水 #${entryId}` }).first();
    await reversal.waitFor();
    expect(await reversal.innerText()).toContain('¥12.00');
    expect(await reversal.locator('[data-testid^="balanced-"]').count()).toBe(1);
    await shoot(page, 'admin-journal-reversal');
  });

  it('lets finance change the daily transfer limit, in yuan', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/ledger-settings');
    await signInToConsole(page, 'finance', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/ledger-settings/);
    await field(page, 'settings-limit').fill('500.5');
    await field(page, 'settings-limit').press('Enter');
    await page.getByText('已保存').waitFor();
    const settings = (await (await page.request.get('/api/ledger/settings')).json()) as {
      transferDailyLimitFen: number;
    };
    expect(settings.transferDailyLimitFen).toBe(50050);
    await page.reload();
    await expect.poll(() => field(page, 'settings-limit').inputValue()).toBe('500.50');
    await shoot(page, 'admin-ledger-settings');
  });
});
