// An administrator gives the HR system a token of its own: creates it in the console with one scope,
// copies the secret shown once, and the integration calls the API with it as a bearer token; after the
// token is revoked (with a confirmation) the next call is refused.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, signInToConsole } from './pages.ts';

const journey = useJourney();

describe('API tokens for integrations', () => {
  it('creates a scoped token whose secret is shown once, which works as a bearer token until revoked', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/');
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: 'API 令牌' }).click();
    await page.waitForURL(/\/admin\/api-tokens/);

    await page.getByTestId('token-create').click();
    const dialog = page.getByTestId('token-dialog');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('token-name');
    await field(page, 'token-name').fill('人事系统同步');
    // Money-moving permissions are not offered at all.
    expect(await dialog.getByTestId('scope-topup.cash').count()).toBe(0);
    await dialog.getByTestId('scope-people.read').click();
    await shoot(page, 'admin-api-token-create');
    await page.getByTestId('token-submit').click();

    const secretField = field(page, 'token-secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^cnt_/);
    await shoot(page, 'admin-api-token-secret');
    await page.getByTestId('token-done').click();
    await dialog.waitFor({ state: 'hidden' });

    // The list shows the prefix only, never the secret again.
    const table = page.getByTestId('token-table');
    await expect.poll(() => table.innerText()).toContain('人事系统同步');
    expect(await table.innerText()).toContain(secret.slice(0, 12));
    expect(await table.innerText()).not.toContain(secret);

    // The integration: no cookie, the token in the Authorization header.
    const integration = await journey().newPage();
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await integration.request.get('/api/people?q=王晓燕', { headers: bearer })).status()).toBe(200);
    expect((await integration.request.get('/api/ledger/entries', { headers: bearer })).status()).toBe(403);

    await page.reload();
    await expect.poll(() => table.innerText()).not.toContain('从未使用');
    await shoot(page, 'admin-api-tokens');

    const row = table.locator('tr', { hasText: '人事系统同步' });
    await row.getByRole('button', { name: '撤销' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => row.getByTestId('token-status').innerText()).toBe('已撤销');

    const refused = await integration.request.get('/api/people?q=王晓燕', { headers: bearer });
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('API_TOKEN_REVOKED');
  });
});
