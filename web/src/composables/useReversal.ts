import type { Reversal } from '@canteen/server/api';
import { ApiError } from '../api/client.ts';
import { ledgerApi } from '../api/ledger.ts';
import { useAttemptKey } from './useAttemptKey.ts';

/**
 * 冲正: corrects a journal entry with a new entry that negates it. Each attempt has its Idempotency-Key,
 * so a retry after a lost answer never reverses twice (the server also refuses a second reversal).
 */
export function useReversal() {
  const attempt = useAttemptKey();

  async function reverse(entryId: number, reason: string): Promise<Reversal> {
    const key = attempt.keyFor({ entryId, reason });
    try {
      const reversal = await ledgerApi.reverse(entryId, reason, key);
      attempt.finish();
      return reversal;
    } catch (failure) {
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) attempt.finish();
      throw failure;
    }
  }

  return { reverse };
}
