import type { Withdrawal } from '@canteen/server/api';
import { ref, watch } from 'vue';
import { withdrawalsApi } from '../api/withdrawals.ts';
import { useCursorPages } from './useCursorPages.ts';
import { usePersonNames } from './usePersonNames.ts';

/**
 * Finance's queue of withdrawals: pending first by default, paid out or rejected with a note. A
 * withdrawal names only its person's id, so names are looked up once per person for the table.
 */
export function useWithdrawalApprovals() {
  const status = ref<Withdrawal['status'] | ''>('pending');
  const { names: people, lookUp } = usePersonNames();
  const pages = useCursorPages<Withdrawal>(async (cursor, signal) => {
    const page = await withdrawalsApi.list(status.value || undefined, cursor, signal);
    await lookUp(page.items.map((w) => w.personId));
    return page;
  });
  watch(status, () => void pages.first());

  async function decide(withdrawal: Withdrawal, pay: boolean, note: string): Promise<void> {
    await (pay ? withdrawalsApi.pay(withdrawal.id, note) : withdrawalsApi.reject(withdrawal.id, note));
    await pages.reload();
  }

  return { status, people, pages, decide };
}
