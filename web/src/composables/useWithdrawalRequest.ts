import type { Withdrawal } from '@canteen/server/api';
import { ref } from 'vue';
import { withdrawalsApi } from '../api/withdrawals.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useErrorText } from './useErrorText.ts';
import { useResource } from './useResource.ts';

/**
 * My withdrawal requests: the list, and asking for own funds back. The amount is held at once and
 * paid out (or released) when finance decides; a retried request carries the same Idempotency-Key.
 */
export function useWithdrawalRequest() {
  const { errorText } = useErrorText();
  const attempt = useAttemptKey();
  const {
    data: items,
    error: loadError,
    load,
  } = useResource(async () => (await withdrawalsApi.mine()).items, [] as Withdrawal[]);
  const busy = ref(false);
  const error = ref('');

  async function request(amountFen: number, note: string): Promise<Withdrawal | null> {
    if (busy.value) return null;
    const body = { amountFen, ...(note ? { note } : {}) };
    busy.value = true;
    error.value = '';
    try {
      const created = await attempt.send(body, (key) => withdrawalsApi.request(body, key));
      items.value = [created, ...items.value.filter((w) => w.id !== created.id)];
      return created;
    } catch (failure) {
      error.value = errorText(failure);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { items, busy, error, loadError, load, request };
}
