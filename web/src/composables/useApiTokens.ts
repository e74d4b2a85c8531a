import type { ApiToken, ApiTokenList, CreatedApiToken, NewApiToken } from '@canteen/server/api';
import { ref } from 'vue';
import { apiTokensApi } from '../api/apiTokens.ts';
import { useResource } from './useResource.ts';
import { useSubmit } from './useSubmit.ts';

/**
 * The hospital's API tokens for the console: the list, creating one (whose secret the answer holds,
 * shown once and forgotten when the dialog closes) and revoking one.
 */
export function useApiTokens() {
  const { data, loading, error, load } = useResource<ApiTokenList>((signal) => apiTokensApi.list(signal), {
    items: [],
    grantableScopes: [],
  });
  const creating = useSubmit();
  const revoking = useSubmit();
  const created = ref<CreatedApiToken | null>(null);

  async function create(body: NewApiToken): Promise<boolean> {
    const answer = await creating.run(() => apiTokensApi.create(body));
    if (!answer) return false;
    created.value = answer;
    await load();
    return true;
  }

  async function revoke(token: ApiToken): Promise<boolean> {
    const answer = await revoking.run(() => apiTokensApi.revoke(token.id));
    await load();
    return answer !== undefined;
  }

  /** Drops the secret from memory: it is never shown again. */
  function forgetSecret(): void {
    created.value = null;
    creating.clear();
  }

  return { list: data, loading, error, load, creating, revoking, created, create, revoke, forgetSecret };
}
