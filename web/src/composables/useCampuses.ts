import type { Campus } from '@canteen/server/api';
import { ref } from 'vue';
import { orgApi } from '../api/org.ts';
import { useErrorText } from './useErrorText.ts';

/** The hospital's campuses (院区), loaded once per page and reloaded after a change. */
export function useCampuses() {
  const { errorText } = useErrorText();
  const campuses = ref<Campus[]>([]);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      campuses.value = await orgApi.campuses();
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return { campuses, loading, error, load };
}
