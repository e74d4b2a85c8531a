import type { CashTopUp, CashTopUpReceipt } from '@canteen/server/api';
import { ref } from 'vue';
import { ledgerApi } from '../api/ledger.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useSubmit } from './useSubmit.ts';

/**
 * A cash top-up at the counter. The Idempotency-Key belongs to the attempt: pressing Enter again after
 * a dropped connection sends the same key, so the person is credited once and the cashier gets the
 * same receipt back (`replayed`).
 */
export function useCashTopUp() {
  const submit = useSubmit();
  const attempt = useAttemptKey();
  const receipt = ref<CashTopUpReceipt | null>(null);

  async function topUp(body: CashTopUp): Promise<CashTopUpReceipt | undefined> {
    const result = await submit.run(() => attempt.send(body, (key) => ledgerApi.cashTopUp(body, key)));
    if (result) receipt.value = result;
    return result;
  }

  return {
    receipt,
    topUp,
    busy: submit.busy,
    error: submit.error,
    fieldErrors: submit.fieldErrors,
    clear: submit.clear,
  };
}
