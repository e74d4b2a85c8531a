// A nurse loses her card: the console issues it first; then on her phone (375 px) she sets a payment
// PIN, reports the card lost (effective at once) and, having found it, cancels the report with the PIN.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { findPersonByApi, signInByApi, signInToConsole } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };
const UID = '04A1B2C3D4E5F6';
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

describe('card loss report on the phone', () => {
  it('issues a card in the console, then the holder reports it lost and cancels the report with her PIN', async () => {
    const console = await journey().newPage();
    await console.goto('/admin/');
    await signInToConsole(console, 'admin', DEMO_PASSWORD);
    await console.waitForURL(/\/admin\/people/);
    const staff = await findPersonByApi(console, '王晓燕');
    await console.goto(`/admin/people/${staff.id}`);
    await console.getByTestId('person-account').click();
    await console.waitForURL(new RegExp(`/admin/people/${staff.id}/account`));
    await console.getByTestId('account-available').waitFor();
    await console.getByTestId('card-issue').click();
    const dialog = console.getByTestId('card-dialog');
    await dialog.waitFor();
    await expect
      .poll(() => console.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('card-uid');
    // A USB card reader types the UID and Enter.
    await console.keyboard.type(UID);
    await console.keyboard.press('Enter');
    await console.locator(`.card-row-${UID}`).waitFor();
    await shoot(console, 'admin-person-account');

    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    await phone.goto('/m/');
    await phone.getByTestId('go-pin').click();
    await phone.waitForURL(/\/m\/pin/);
    expect(await phone.getByTestId('pin-status').innerText()).toContain('未设置');
    await phone.locator('[data-step="new"]').waitFor();
    await shoot(phone, 'm-pin-set');
    await typePin(phone, PIN);
    await phone.locator('[data-step="repeat"]').waitFor();
    await typePin(phone, PIN);
    await phone.getByText('支付密码已保存').waitFor();
    await phone.waitForURL((url) => url.pathname === '/m/');
    await phone.locator('.van-toast').waitFor({ state: 'hidden' });

    await phone.getByTestId('go-cards').click();
    await phone.waitForURL(/\/m\/cards/);
    const card = phone.locator('[data-testid^="card-"]', { hasText: '04A1 B2C3 D4E5 F6' }).first();
    await card.waitFor();
    expect(await card.getByTestId('card-status').innerText()).toBe('正常');
    await card.getByTestId('card-report-lost').click();
    await phone.locator('.van-dialog').getByText('在所有收银台立即停用').waitFor();
    await phone.waitForTimeout(400); // the dialog's fade-in, for the picture
    await shoot(phone, 'm-card-report-lost');
    await phone.locator('.van-dialog').getByRole('button', { name: '挂失' }).click();
    await expect.poll(() => card.getByTestId('card-status').innerText()).toBe('已挂失');
    // Refused at once: the server's card list says lost too.
    const cards = (await (await phone.request.get('/api/me/cards')).json()) as {
      items: { uid: string; status: string }[];
    };
    expect(cards.items.find((c) => c.uid === UID)?.status).toBe('lost');
    await shoot(phone, 'm-card-lost');

    // A wrong PIN is refused with the tries left; the right one brings the card back.
    await card.getByTestId('card-cancel-loss').click();
    await phone.getByTestId('cancel-loss-popup').getByTestId('pin-pad').waitFor();
    await typePin(phone, '111222');
    await phone.getByTestId('cancel-loss-popup').getByText('支付密码错误').waitFor();
    await shoot(phone, 'm-card-cancel-loss-wrong-pin');
    await typePin(phone, PIN);
    await phone.getByText('已解挂').waitFor();
    await expect.poll(() => card.getByTestId('card-status').innerText()).toBe('正常');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.locator('.van-toast').waitFor({ state: 'hidden' });
    await phone.locator('.van-overlay').first().waitFor({ state: 'hidden' });
    await shoot(phone, 'm-cards');

    // Changing the PIN asks for the current one first.
    await phone.goto('/m/pin');
    expect(await phone.getByTestId('pin-status').innerText()).toContain('已设置');
    await phone.locator('[data-step="current"]').waitFor();
    await typePin(phone, PIN);
    await phone.locator('[data-step="new"]').waitFor();
    await typePin(phone, '731904');
    await phone.locator('[data-step="repeat"]').waitFor();
    await typePin(phone, '731904');
    await phone.getByText('支付密码已保存').waitFor();

    // The console sees the card active again.
    await console.reload();
    await console.locator(`.card-row-${UID}`).waitFor();
    const row = console.locator('.el-table__row', { has: console.locator(`.card-row-${UID}`) });
    await expect.poll(() => row.innerText()).toContain('正常');
    await console.getByTestId('language-switch').getByText('English').click();
    await expect.poll(() => row.innerText()).toContain('Active');
    await shoot(console, 'admin-person-account-en');
  });
});
