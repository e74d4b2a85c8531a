// A nurse pays a colleague back on her phone (375 px): she sets a payment PIN when she has none,
// finds the colleague by employee number (masked name and department to confirm), sends ¥5.00 of her
// own funds with the PIN, and sees her own funds drop by exactly that; a wrong PIN moves nothing. Both
// statements name the other side, masked.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, findPersonByApi, formatFen, signInByApi, walletOf } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };
const PIN = '258036';

/** Types six digits on Vant's number keyboard, key by key, as a thumb would (its keys answer to touch). */
async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) {
    await page
      .locator('.van-number-keyboard .van-key', { hasText: new RegExp(`^${digit}$`) })
      .first()
      .tap();
  }
}

async function myOwnFen(page: Page): Promise<number> {
  return ((await (await page.request.get('/api/me/wallet')).json()) as { ownFen: number }).ownFen;
}

describe('transfer to a colleague on the phone', () => {
  it('finds the colleague by employee number and sends ¥5.00 of own funds with the PIN; a wrong PIN is refused', async () => {
    const admin = await journey().newPage();
    await signInByApi(admin, 'admin', DEMO_PASSWORD);
    const colleague = await findPersonByApi(admin, '黄丽娟');
    const colleagueBefore = await walletOf(admin, colleague.id);

    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    await phone.goto('/m/');
    await phone.getByTestId('go-transfer').click();
    await phone.waitForURL(/\/m\/transfer/);

    // No PIN yet: the page says so and leads to the PIN page, which comes back here when saved.
    const needPin = phone.getByTestId('transfer-need-pin');
    await phone.getByTestId('transfer-employee-no').waitFor();
    if (await needPin.isVisible()) {
      await shoot(phone, 'm-transfer-need-pin');
      await phone.getByTestId('transfer-set-pin').click();
      await phone.waitForURL(/\/m\/pin/);
      await phone.locator('[data-step="new"]').waitFor();
      await typePin(phone, PIN);
      await phone.locator('[data-step="repeat"]').waitFor();
      await typePin(phone, PIN);
      await phone.getByText('支付密码已保存').waitFor();
      await phone.waitForURL(/\/m\/transfer/);
      await phone.locator('.van-toast').waitFor({ state: 'hidden' });
    }
    await expect.poll(() => needPin.count()).toBe(0);

    // An unknown number is refused; the colleague's shows the masked name and the department.
    const employeeNo = field(phone, 'transfer-employee-no');
    await employeeNo.fill('NO-SUCH-1');
    await phone.getByTestId('transfer-find').click();
    await phone.getByText('找不到这个工号的在职同事').waitFor();
    await employeeNo.fill(colleague.employeeNo);
    await phone.getByTestId('transfer-find').click();
    const payee = phone.getByTestId('transfer-payee');
    await payee.waitFor();
    expect(await payee.innerText()).toContain('黄*娟');
    expect(await payee.innerText()).not.toContain('黄丽娟');

    const before = await myOwnFen(phone);
    expect(before).toBeGreaterThanOrEqual(500);
    await expect.poll(() => phone.getByTestId('transfer-own').innerText()).toContain(formatFen(before));
    await field(phone, 'transfer-amount').fill('5');
    await field(phone, 'transfer-memo').fill('代买午饭');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shoot(phone, 'm-transfer-form');
    await phone.getByTestId('transfer-next').click();
    const popup = phone.getByTestId('transfer-pin-popup');
    await popup.getByTestId('pin-pad').waitFor();
    expect(await popup.innerText()).toContain('向 黄*娟 转账 ¥5.00');

    // A wrong PIN: refused with the tries left, and no money moves.
    await typePin(phone, '111222');
    await popup.getByText('支付密码错误').waitFor();
    await shoot(phone, 'm-transfer-wrong-pin');
    expect(await myOwnFen(phone)).toBe(before);

    await typePin(phone, PIN);
    const done = phone.getByTestId('transfer-done');
    await done.waitFor();
    expect(await phone.getByTestId('transfer-done-amount').innerText()).toBe('¥5.00');
    expect(await phone.getByTestId('transfer-own-after').innerText()).toContain(formatFen(before - 500));
    expect(await myOwnFen(phone)).toBe(before - 500);
    expect((await walletOf(admin, colleague.id)).ownFen).toBe(colleagueBefore.ownFen + 500);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.locator('.van-overlay').first().waitFor({ state: 'hidden' });
    await shoot(phone, 'm-transfer-done');

    // Home shows the lower own funds.
    await phone.getByTestId('transfer-finish').click();
    await phone.waitForURL((url) => url.pathname === '/m/');
    await expect.poll(() => phone.getByTestId('wallet-own').innerText()).toContain(formatFen(before - 500));
    await shoot(phone, 'm-home-after-transfer');

    // The statement names the colleague (masked), in the list and in the movement's detail …
    const [sent] = (
      (await (await phone.request.get('/api/me/statement?limit=1')).json()) as { items: { entryId: number }[] }
    ).items;
    await phone.goto('/m/statement');
    const row = phone.getByTestId(`movement-${sent!.entryId}`);
    await expect.poll(() => row.innerText()).toContain('转给 黄*娟');
    await row.click();
    await phone.waitForURL(/\/m\/statement\/\d+/);
    expect(await phone.getByTestId('movement-counterpart').innerText()).toContain('黄*娟');
    await shoot(phone, 'm-movement-transfer');

    // … and the colleague's statement in the console names the sender, masked too.
    const me = (await (await phone.request.get('/api/auth/me')).json()) as { name: string };
    await admin.goto(`/admin/people/${colleague.id}/account`);
    const statement = admin.getByTestId('statement-table');
    await expect.poll(() => statement.innerText()).toContain(`来自 ${me.name[0]}*`);
    expect(await statement.innerText()).not.toContain(me.name);
  });
});
