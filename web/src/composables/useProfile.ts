import type { Profile } from '@canteen/server/api';
import { ref } from 'vue';
import { orgApi } from '../api/org.ts';
import { useErrorText } from './useErrorText.ts';

/** The signed-in person's own details (GET /api/me/profile), for the staff app. */
export function useProfile() {
  const { errorText } = useErrorText();
  const profile = ref<Profile | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      profile.value = await orgApi.profile();
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return { profile, loading, error, load };
}
