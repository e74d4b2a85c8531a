import type { AccountReturn, AccountReturnReceipt } from '@canteen/server/api';
import { ref } from 'vue';
import { cardsApi } from '../api/cards.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useSubmit } from './useSubmit.ts';

/**
 * 退卡 on leaving, at the counter: one request pays out own funds in cash, returns the subsidy, closes
 * the wallet and revokes every card. A retried click carries the same Idempotency-Key: cash is paid once.
 */
export function useAccountReturn(personId: () => number) {
  const submit = useSubmit();
  const attempt = useAttemptKey();
  const receipt = ref<AccountReturnReceipt | null>(null);

  async function returnAccount(body: AccountReturn): Promise<AccountReturnReceipt | undefined> {
    const id = personId();
    const result = await submit.run(() =>
      attempt.send({ personId: id, ...body }, (key) => cardsApi.returnAccount(id, body, key)),
    );
    if (result) receipt.value = result;
    return result;
  }

  return {
    receipt,
    returnAccount,
    busy: submit.busy,
    error: submit.error,
    fieldErrors: submit.fieldErrors,
    clear: submit.clear,
  };
}
