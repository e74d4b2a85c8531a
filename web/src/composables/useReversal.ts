import type { Reversal } from '@canteen/server/api';
import { ledgerApi } from '../api/ledger.ts';
import { useAttemptKey } from './useAttemptKey.ts';

/**
 * 冲正: corrects a journal entry with a new entry that negates it. Each attempt has its Idempotency-Key,
 * so a retry after a lost answer never reverses twice (the server also refuses a second reversal).
 */
export function useReversal() {
  const attempt = useAttemptKey();
  const reverse = (entryId: number, reason: string): Promise<Reversal> =>
    attempt.send({ entryId, reason }, (key) => ledgerApi.reverse(entryId, reason, key));
  return { reverse };
}
