import type { Campus } from '@canteen/server/api';
import { orgApi } from '../api/org.ts';
import { useResource } from './useResource.ts';

/** The hospital's campuses (院区), loaded once per page and reloaded after a change. */
export function useCampuses() {
  const { data: campuses, loading, error, load } = useResource<Campus[]>(() => orgApi.campuses(), []);
  return { campuses, loading, error, load };
}
