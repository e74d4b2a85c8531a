// A nurse asks for her own funds back on the phone; the amount is held at once; finance records the
// payout in the console, and her request shows as paid.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { findPersonByApi, formatFen, signInByApi, signInToConsole, walletOf } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };

describe('withdrawal', () => {
  it('holds the amount when asked on the phone and settles it when finance pays', async () => {
    const counter = await journey().newPage();
    await signInByApi(counter, 'cashier', DEMO_PASSWORD);
    const staff = await findPersonByApi(counter, '王晓燕');
    const before = await walletOf(counter, staff.id);
    const topUp = await counter.request.post('/api/ledger/cash-top-ups', {
      headers: { 'idempotency-key': randomUUID() },
      data: { personId: staff.id, amountFen: 10000, counter: 'HB-CASH' },
    });
    expect(topUp.status()).toBe(200);

    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    await phone.goto('/m/');
    await phone.getByTestId('go-withdraw').click();
    await phone.waitForURL(/\/m\/withdraw/);
    const own = before.ownFen + 10000;
    await expect.poll(() => phone.getByTestId('withdrawable').innerText()).toContain(formatFen(own));
    await phone
      .locator('[data-testid="withdraw-amount"] input')
      .fill(formatFen(own + 100, { symbol: false }).replaceAll(',', ''));
    await phone.getByText('超过可提现余额').waitFor();
    await phone.locator('[data-testid="withdraw-amount"] input').fill('30.5');
    await phone.getByTestId('withdraw-submit').click();
    await phone.getByTestId('my-withdrawals').getByText('待审核').waitFor();
    await expect.poll(() => phone.getByTestId('withdrawable').innerText()).toContain(formatFen(own - 3050));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.locator('.van-toast').waitFor({ state: 'hidden' });
    await shoot(phone, 'm-withdraw');

    const page = await journey().newPage();
    await page.goto('/admin/');
    await signInToConsole(page, 'finance', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/cash-top-up/);
    await page.getByRole('menuitem', { name: '提现审核', exact: true }).click();
    await page.waitForURL(/\/admin\/withdrawals/);
    const row = page.locator('[data-testid="withdrawals"] .el-table__row', { hasText: '¥30.50' });
    await row.waitFor();
    expect(await row.innerText()).toContain(staff.name);
    await shoot(page, 'admin-withdrawals');
    await row.getByRole('button', { name: '记录付款' }).click();
    const prompt = page.locator('.reason-prompt');
    await prompt.waitFor();
    await prompt.locator('input').fill('现金已付');
    await prompt.locator('input').press('Enter');
    await page.getByText('已记录付款').waitFor();
    await expect.poll(() => row.count()).toBe(0);

    await phone.reload();
    await phone.getByTestId('my-withdrawals').getByText('已付款').waitFor();
    expect(await phone.getByTestId('withdrawable').innerText()).toContain(formatFen(own - 3050));
  });
});
