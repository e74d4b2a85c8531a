// A cashier takes cash at the counter: finds the person by employee number, types the amount in yuan,
// presses Enter, and gets a receipt; the person's phone, open at the same time, shows the money arrive
// without a reload.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, findPersonByApi, formatFen, pickPerson, signInByApi, signInToConsole, walletOf } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };

describe('cash top-up at the counter', () => {
  it('credits the person once, prints a receipt and tells their phone at once', async () => {
    // The staff member's phone is open on /m before the cash is taken.
    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    await phone.goto('/m/');
    await phone.getByTestId('wallet-available').waitFor();
    await phone.getByTestId('live').waitFor();

    const page = await journey().newPage();
    await page.goto('/admin/');
    await signInToConsole(page, 'cashier', DEMO_PASSWORD);
    // The counter is a cashier's first screen.
    await page.waitForURL(/\/admin\/cash-top-up/);
    const staff = await findPersonByApi(page, '王晓燕');
    const before = await walletOf(page, staff.id);
    expect(await phone.getByTestId('wallet-available').innerText()).toBe(formatFen(before.availableFen));

    // The counter is one the hospital set up (the demo has one per campus), not a made-up code.
    const counterSelect = page.getByTestId('topup-counter');
    await expect.poll(() => counterSelect.innerText()).toContain('HB-CASH');
    await counterSelect.click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'XC-CASH' }).click();

    await pickPerson(page, 'topup-person', staff.employeeNo, staff.employeeNo);
    // Picking the person puts the cursor in the amount, and shows what they have now.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('topup-amount');
    await page.getByTestId('account-available').waitFor();
    await page.keyboard.type('50.5');
    expect(await page.getByTestId('topup-summary').innerText()).toContain('¥50.50');
    await shoot(page, 'admin-cash-top-up');
    await page.keyboard.press('Enter');

    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await page.getByTestId('receipt-amount').innerText()).toBe('¥50.50');
    expect(await page.getByTestId('receipt-own').innerText()).toBe(formatFen(before.ownFen + 5050));
    expect(await page.getByTestId('receipt-no').innerText()).toMatch(/^CT\d{8}$/);
    expect(await receipt.innerText()).toContain(staff.name);
    expect(await receipt.innerText()).toContain('XC-CASH');
    expect(await page.getByTestId('account-available').innerText()).toContain(formatFen(before.availableFen + 5050));
    await shoot(page, 'admin-cash-top-up-receipt');

    // The ledger holds exactly one top-up of 5050 fen.
    const statement = (await (await page.request.get(`/api/people/${staff.id}/statement`)).json()) as {
      items: { kind: string; amountFen: number }[];
    };
    expect(statement.items.filter((i) => i.kind === 'top_up' && i.amountFen === 5050)).toHaveLength(1);

    // The phone hears of it live: a notice, and the balance changes without a reload.
    await phone.locator('.van-notify').filter({ hasText: '¥50.50' }).waitFor();
    await expect
      .poll(() => phone.getByTestId('wallet-available').innerText())
      .toBe(formatFen(before.availableFen + 5050));
    expect(await phone.getByTestId('wallet-own').innerText()).toContain(formatFen(before.ownFen + 5050));
    await shoot(phone, 'm-home-live-top-up');

    // The next top-up starts from the person search again; an amount with a fraction of a fen is refused.
    await page.getByTestId('topup-next').click();
    await receipt.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid')))
      .toBe('topup-person');
    await pickPerson(page, 'topup-person', staff.employeeNo, staff.employeeNo);
    await field(page, 'topup-amount').fill('12.345');
    await field(page, 'topup-amount').press('Enter');
    await page.getByText('最多两位小数').waitFor();

    // The browser remembers the cashier's counter for the next shift.
    await page.reload();
    await expect.poll(() => page.getByTestId('topup-counter').innerText()).toContain('XC-CASH');

    // The person's account page shows the top-up in the statement and the balance chart.
    await page.goto(`/admin/people/${staff.id}/account`);
    await page.getByTestId('statement-table').getByText('+¥50.50').first().waitFor();
    await page.getByTestId('balance-chart').locator('canvas').waitFor();
    await shoot(page, 'admin-person-account-statement');
  });
});
