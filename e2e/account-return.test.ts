// 退卡 on leaving: the console pays out own funds in cash, returns the subsidy, closes the account and
// revokes the cards, in one step with a reason.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, findPersonByApi, formatFen, signInByApi, signInToConsole, walletOf } from './pages.ts';

const journey = useJourney();

describe('closing an account', () => {
  it('pays out own funds, closes the wallet and revokes the card', async () => {
    const counter = await journey().newPage();
    await signInByApi(counter, 'cashier', DEMO_PASSWORD);
    const staff = await findPersonByApi(counter, '王晓燕');
    const topUp = await counter.request.post('/api/ledger/cash-top-ups', {
      headers: { 'idempotency-key': randomUUID() },
      data: { personId: staff.id, amountFen: 2000, counter: 'HB-CASH' },
    });
    expect(topUp.status()).toBe(200);

    const page = await journey().newPage();
    await page.goto(`/admin/people/${staff.id}/account`);
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(new RegExp(`/admin/people/${staff.id}/account`));
    await page.getByTestId('card-issue').click();
    await field(page, 'card-uid').fill('0AB1C2D3E4');
    await field(page, 'card-uid').press('Enter');
    await page.locator('.card-row-0AB1C2D3E4').waitFor();

    // The demo hospital may have given her money already: the dialog says what leaves.
    const own = formatFen((await walletOf(page, staff.id)).ownFen);
    await page.getByTestId('account-return').click();
    const dialog = page.getByTestId('account-return-dialog');
    await dialog.getByText(own).first().waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, for the picture
    await shoot(page, 'admin-account-return');
    await field(page, 'account-return-reason').fill('离职');
    await field(page, 'account-return-reason').press('Enter');
    const done = page.locator('.el-message-box');
    await done.getByText(`现金退还 ${own}`).waitFor();
    await done.getByRole('button').last().click();

    await expect.poll(() => page.getByTestId('account-wallet').innerText()).toContain('已销户');
    expect(await page.getByTestId('account-available').innerText()).toBe('¥0.00');
    const row = page.locator('.el-table__row', { has: page.locator('.card-row-0AB1C2D3E4') });
    await expect.poll(() => row.innerText()).toContain('已退卡');
    expect(await page.getByTestId('account-return').count()).toBe(0);
    await shoot(page, 'admin-account-closed');
  });
});
