import type { PersonDetail, Withdrawal } from '@canteen/server/api';
import { reactive, ref, watch } from 'vue';
import { orgApi } from '../api/org.ts';
import { withdrawalsApi } from '../api/withdrawals.ts';
import { useCursorPages } from './useCursorPages.ts';

/**
 * Finance's queue of withdrawals: pending first by default, paid out or rejected with a note. A
 * withdrawal names only its person's id, so names are looked up once per person for the table.
 */
export function useWithdrawalApprovals() {
  const status = ref<Withdrawal['status'] | ''>('pending');
  const people = reactive(new Map<number, Pick<PersonDetail, 'name' | 'employeeNo'>>());
  const pages = useCursorPages<Withdrawal>(async (cursor, signal) => {
    const page = await withdrawalsApi.list(status.value || undefined, cursor, signal);
    const unknown = [...new Set(page.items.map((w) => w.personId))].filter((id) => !people.has(id));
    await Promise.all(
      unknown.map(async (id) => {
        const person = await orgApi.person(id).catch(() => null);
        if (person) people.set(id, { name: person.name, employeeNo: person.employeeNo });
      }),
    );
    return page;
  });
  watch(status, () => void pages.first());

  async function decide(withdrawal: Withdrawal, pay: boolean, note: string): Promise<void> {
    await (pay ? withdrawalsApi.pay(withdrawal.id, note) : withdrawalsApi.reject(withdrawal.id, note));
    await pages.reload();
  }

  return { status, people, pages, decide };
}
