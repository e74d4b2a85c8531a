import { flushPromises } from '@vue/test-utils';

/**
 * Waits until the screen shows what the last change leads to: pending promises, and Element Plus's
 * form item, which shows a new error message 100 ms after its state changes (refDebounced).
 */
export async function settle(): Promise<void> {
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, 120));
  await flushPromises();
}
