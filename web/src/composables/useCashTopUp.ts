import type { CashTopUp, CashTopUpReceipt } from '@canteen/server/api';
import { ref } from 'vue';
import { ApiError } from '../api/client.ts';
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
    const key = attempt.keyFor(body);
    const result = await submit.run(async () => {
      try {
        return await ledgerApi.cashTopUp(body, key);
      } catch (failure) {
        // A refusal is final (a new attempt gets a new key); no answer or a server error may be retried.
        if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) attempt.finish();
        throw failure;
      }
    });
    if (result) {
      attempt.finish();
      receipt.value = result;
    }
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
