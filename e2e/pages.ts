// Small page helpers shared by the journeys: they find things the way a person does (labels, roles,
// test ids on the few controls that have no stable text).
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The text box of an Element Plus or Vant field, whether the test id sits on the input or its wrapper. */
export function field(page: Page, testId: string): Locator {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

export async function signInToConsole(page: Page, username: string, password: string): Promise<void> {
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill(password);
  // Enter submits: the console is used from the keyboard.
  await field(page, 'login-password').press('Enter');
}

/** Picks a department in an Element Plus tree select by its visible name. */
export async function pickDepartment(page: Page, testId: string, name: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).first().click();
  await page.locator('.el-tree-node__content:visible', { hasText: name }).first().click();
}

/**
 * Opens a dialog with a click and waits until the cursor is in its first field, as the console
 * promises keyboard users.
 */
export async function openDialog(page: Page, opener: Locator, title: string, firstField: string): Promise<Locator> {
  await opener.click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(firstField);
  return dialog;
}

/** Signs a browser profile in through the API (for the side of a journey that is not under test). */
export async function signInByApi(page: Page, username: string, password: string): Promise<void> {
  const response = await page.request.post('/api/auth/login', { data: { username, password } });
  expect(response.status()).toBe(200);
}

/** A demo person as the console's API sees them, found by name or employee number. */
export async function findPersonByApi(
  page: Page,
  query: string,
): Promise<{ id: number; employeeNo: string; name: string }> {
  const response = await page.request.get(`/api/people?q=${encodeURIComponent(query)}`);
  const { items } = (await response.json()) as { items: { id: number; employeeNo: string; name: string }[] };
  const person = items[0];
  if (!person) throw new Error(`no person matches ${query}`);
  return person;
}

/** Types into a person picker (an Element Plus remote select) and takes the first match with Enter. */
export async function pickPerson(page: Page, testId: string, query: string, employeeNo: string): Promise<void> {
  const input = field(page, testId);
  await input.click();
  await input.fill(query);
  await page.locator(`.el-select-dropdown__item[class*="-${employeeNo}"]:visible`).first().waitFor();
  await input.press('Enter');
}

export interface WalletFigures {
  subsidyFen: number;
  ownFen: number;
  heldFen: number;
  availableFen: number;
}

/** A person's balances as the server has them now (the demo hospital may have given them money). */
export async function walletOf(page: Page, personId: number): Promise<WalletFigures> {
  return (await (await page.request.get(`/api/people/${personId}/wallet`)).json()) as WalletFigures;
}

export { formatFen } from '../web/src/composables/money.ts';
