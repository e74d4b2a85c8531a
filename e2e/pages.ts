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

export async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
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
