import type { Wallet } from '@canteen/server/api';
import { ledgerApi } from '../api/ledger.ts';
import { useResource } from './useResource.ts';

/** A wallet's balances per purse: the signed-in person's (no id) or anyone's for the console. */
export function useWallet(personId?: () => number) {
  const {
    data: wallet,
    loading,
    error,
    load,
  } = useResource<Wallet | null>(() => (personId ? ledgerApi.wallet(personId()) : ledgerApi.myWallet()), null);
  return { wallet, loading, error, load };
}
