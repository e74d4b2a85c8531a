import type { Wallet } from '@canteen/server/api';
import { ref } from 'vue';
import { ledgerApi } from '../api/ledger.ts';
import { useErrorText } from './useErrorText.ts';

/** A wallet's balances per purse: the signed-in person's (no id) or anyone's for the console. */
export function useWallet(personId?: () => number) {
  const { errorText } = useErrorText();
  const wallet = ref<Wallet | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    try {
      wallet.value = personId ? await ledgerApi.wallet(personId()) : await ledgerApi.myWallet();
      error.value = '';
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return { wallet, loading, error, load };
}
