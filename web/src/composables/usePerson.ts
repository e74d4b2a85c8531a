import type { PersonChanges, PersonDetail } from '@canteen/server/api';
import { ref } from 'vue';
import { orgApi } from '../api/org.ts';
import { useErrorText } from './useErrorText.ts';

/** One person, for the detail page: load, change, and set roles. */
export function usePerson(id: () => number) {
  const { errorText } = useErrorText();
  const person = ref<PersonDetail | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      person.value = await orgApi.person(id());
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

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
