import type { AuthOptions } from '@canteen/server/api';
import { authApi } from '../api/auth.ts';
import { useResource } from './useResource.ts';

/** What this server offers before sign-in (development sign-in, the test payment channel); null until known. */
export function useAuthOptions() {
  const { data: options, load } = useResource<AuthOptions | null>(() => authApi.options(), null);
  return { options, load };
}
