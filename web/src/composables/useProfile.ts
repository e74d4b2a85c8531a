import type { Profile } from '@canteen/server/api';
import { orgApi } from '../api/org.ts';
import { useResource } from './useResource.ts';

/** The signed-in person's own details (GET /api/me/profile), for the staff app. */
export function useProfile() {
  const { data: profile, loading, error, load } = useResource<Profile | null>(() => orgApi.profile(), null);
  return { profile, loading, error, load };
}
