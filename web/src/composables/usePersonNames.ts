import type { PersonDetail } from '@canteen/server/api';
import { reactive } from 'vue';
import { orgApi } from '../api/org.ts';

export type PersonName = Pick<PersonDetail, 'name' | 'employeeNo'>;

/**
 * Names for the person ids that ledger rows carry (withdrawals, postings), each looked up once. A
 * person who cannot be looked up (no people.read, or gone) stays unnamed and is shown by id.
 */
export function usePersonNames() {
  const names = reactive(new Map<number, PersonName>());

  async function lookUp(ids: Iterable<number>): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !names.has(id));
    await Promise.all(
      unknown.map(async (id) => {
        const person = await orgApi.person(id).catch(() => null);
        if (person) names.set(id, { name: person.name, employeeNo: person.employeeNo });
      }),
    );
  }

  /** 王晓燕（10001）, or #12 when the name is not known. */
  const nameOf = (id: number): string => {
    const person = names.get(id);
    return person ? `${person.name}（${person.employeeNo}）` : `#${id}`;
  };

  return { names, lookUp, nameOf };
}
