import type { PersonChanges, PersonDetail } from '@canteen/server/api';
import { orgApi } from '../api/org.ts';
import { useResource } from './useResource.ts';

/** One person, for the detail page: load, change, and set roles. */
export function usePerson(id: () => number) {
  const { data: person, loading, error, load } = useResource<PersonDetail | null>(() => orgApi.person(id()), null);

  async function change(changes: PersonChanges): Promise<PersonDetail> {
    person.value = await orgApi.updatePerson(id(), changes);
    return person.value;
  }

  async function setRoles(roles: string[]): Promise<void> {
    const saved = await orgApi.setRoles(id(), roles);
    if (person.value) person.value = { ...person.value, roles: saved.roles };
  }

  return { person, loading, error, load, change, setRoles };
}
