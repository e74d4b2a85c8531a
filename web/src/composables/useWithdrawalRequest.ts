import type { Withdrawal } from '@canteen/server/api';
import { ref } from 'vue';
import { ApiError } from '../api/client.ts';
import { withdrawalsApi } from '../api/withdrawals.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useErrorText } from './useErrorText.ts';

/**
 * My withdrawal requests: the list, and asking for own funds back. The amount is held at once and
 * paid out (or released) when finance decides; a retried request carries the same Idempotency-Key.
 */
export function useWithdrawalRequest() {
  const { errorText } = useErrorText();
  const attempt = useAttemptKey();
  const items = ref<Withdrawal[]>([]);
  const busy = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    try {
      items.value = (await withdrawalsApi.mine()).items;
    } catch (failure) {
      error.value = errorText(failure);
    }
  }

  async function request(amountFen: number, note: string): Promise<Withdrawal | null> {
    if (busy.value) return null;
    const body = { amountFen, ...(note ? { note } : {}) };
    busy.value = true;
    error.value = '';
    try {
      const created = await withdrawalsApi.request(body, attempt.keyFor(body));
      attempt.finish();
      items.value = [created, ...items.value.filter((w) => w.id !== created.id)];
      return created;
    } catch (failure) {
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) attempt.finish();
      error.value = errorText(failure);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { items, busy, error, load, request };
}
