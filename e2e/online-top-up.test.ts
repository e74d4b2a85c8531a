// Online top-up through the test channel on a phone: the person types an amount in yuan, pays with the
// simulated payer, and sees the money arrive once, with the new balance.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { formatFen, signInByApi } from './pages.ts';

const journey = useJourney({ testPayments: true });
const PHONE = { width: 375, height: 667, mobile: true };

describe('online top-up (test channel)', () => {
  it('pays, polls the order until paid and shows the new balance', async () => {
    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    const before = (await (await phone.request.get('/api/me/wallet')).json()) as { availableFen: number };
    await phone.goto('/m/top-up');
    await phone.getByTestId('top-up-amount').locator('input').fill('20.5');
    await phone.getByTestId('top-up-pay').click();
    const done = phone.getByTestId('top-up-done');
    await done.waitFor();
    expect(await done.innerText()).toContain('¥20.50');
    expect(await done.innerText()).toContain(formatFen(before.availableFen + 2050));
    await shoot(phone, 'm-online-top-up');

    const statement = (await (await phone.request.get('/api/me/statement')).json()) as {
      items: { kind: string; amountFen: number }[];
    };
    expect(statement.items.filter((i) => i.kind === 'top_up' && i.amountFen === 2050)).toHaveLength(1);
  });
});
