// The built pages under the server's security headers: every screen of /admin and /m loads with no
// Content-Security-Policy violation and nothing red in the console, signed out and signed in; and a
// page on another origin cannot make a signed-in browser change anything (CSRF).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, useJourney } from './harness.ts';
import { signInByApi, signInToConsole } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };

/**
 * Everything a person would see as a problem in the developer tools: errors and warnings (Chromium
 * logs each Content-Security-Policy violation as an error), uncaught exceptions, failed requests.
 */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    // The missing favicon is its own item of issue 7 (daily annoyances), not a matter of these headers.
    if (message.location().url.endsWith('/favicon.ico')) return;
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

/** Opens a screen and waits until its requests have settled. */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

describe('the pages under the security headers', () => {
  it('show the console sign-in page and every console screen with a clean console', async () => {
    const page = await journey().newPage();
    const problems = watch(page);
    await visit(page, '/admin/');
    await page.waitForURL(/\/admin\/login/);
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
    for (const path of ['people', 'campuses', 'departments', 'roles', 'ledger-settings', 'jobs', 'people/import']) {
      await visit(page, `/admin/${path}`);
    }
    const finance = await journey().newPage();
    const financeProblems = watch(finance);
    await signInByApi(finance, 'finance', DEMO_PASSWORD);
    for (const path of ['journal', 'withdrawals', 'subsidies', 'cash-top-up']) await visit(finance, `/admin/${path}`);
    // A person's account page draws a chart (ECharts) and opens Element Plus popovers.
    const first = (await (await finance.request.get('/api/people')).json()) as { items: { id: number }[] };
    await visit(finance, `/admin/people/${first.items[0]?.id}/account`);
    expect(problems).toEqual([]);
    expect(financeProblems).toEqual([]);
  });

  it('shows the staff sign-in page and every staff screen with a clean console', async () => {
    const phone = await journey().newPage(PHONE);
    const problems = watch(phone);
    await visit(phone, '/m/');
    await phone.waitForURL(/\/m\/login/);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    for (const path of ['', 'statement', 'cards', 'pin', 'withdraw', 'top-up', 'transfer']) {
      await visit(phone, `/m/${path}`);
    }
    expect(problems).toEqual([]);
  });

  it('shows the API docs with a clean console', async () => {
    const page = await journey().newPage();
    const problems = watch(page);
    await visit(page, '/api/docs');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    expect(problems).toEqual([]);
  });
});

describe('a page on another origin', () => {
  // The attacker's page: another port on the same host is another origin but the same site, so the
  // browser sends the SameSite=Lax session cookie along; only the server's own check stops it.
  let evil: Server;
  let evilUrl = '';
  beforeAll(async () => {
    evil = createServer((request, response) => {
      const target = new URL(request.url ?? '/', 'http://x').searchParams.get('target') ?? '';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      // A "simple" request (text/plain, no-cors): no preflight, so the browser sends it with the cookie.
      response.end(`<!doctype html><title>win a prize</title><script>
        fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', mode: 'no-cors',
          headers: { 'content-type': 'text/plain' }, body: '' }).finally(() => { document.title = 'sent'; });
      </script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

  it('cannot report a signed-in person’s card lost with their cookie', async () => {
    const admin = await journey().newPage();
    await signInByApi(admin, 'admin', DEMO_PASSWORD);
    const phone = await journey().newPage(PHONE);
    await signInByApi(phone, 'staff', DEMO_PASSWORD);
    const me = (await (await phone.request.get('/api/auth/me')).json()) as { personId: number };
    const uid = Array.from({ length: 8 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const issued = await admin.request.post('/api/cards', { data: { personId: me.personId, uid } });
    expect(issued.status()).toBe(201);
    const card = (await issued.json()) as { id: number };

    const target = `${journey().baseUrl}/api/me/cards/${card.id}/report-lost`;
    const sent = phone.waitForRequest((request) => request.url() === target);
    await phone.goto(`${evilUrl}/?target=${encodeURIComponent(target)}`);
    // The browser sends the person's session cookie along: without the server's check the card ends
    // up lost. The Sec-Fetch-Site: same-site it adds (Playwright does not show it) gives it away.
    await sent;
    await expect.poll(() => phone.title()).toBe('sent');

    const { items } = (await (await phone.request.get('/api/me/cards')).json()) as {
      items: { id: number; status: string }[];
    };
    expect(items.find((c) => c.id === card.id)?.status).toBe('active');
  });
});
