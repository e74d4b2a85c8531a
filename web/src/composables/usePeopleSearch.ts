import type { PersonDetail, PersonPage } from '@canteen/server/api';
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue';
import { orgApi } from '../api/org.ts';
import { useResource } from './useResource.ts';

export interface PeopleFilters {
  q: string;
  campusId: number | null;
  departmentId: number | null;
  kind: PersonDetail['kind'] | null;
  status: PersonDetail['status'] | null;
  role: string | null;
}

const TYPING_PAUSE_MS = 250;

/**
 * The people list: the server searches, filters and pages (2,000 people and more); this keeps the
 * filters, asks again when one changes (after a short pause while typing) and drops stale answers.
 */
export function usePeopleSearch(initial: { filters: PeopleFilters; page: number }, pageSize = 20) {
  const filters = reactive<PeopleFilters>({ ...initial.filters });
  const page = ref(initial.page);
  const {
    data: found,
    loading,
    error,
    load,
  } = useResource<Pick<PersonPage, 'items' | 'total'>>(
    (signal) =>
      orgApi.people(
        {
          q: filters.q.trim() || undefined,
          campusId: filters.campusId ?? undefined,
          departmentId: filters.departmentId ?? undefined,
          kind: filters.kind ?? undefined,
          status: filters.status ?? undefined,
          role: filters.role ?? undefined,
          page: page.value,
          pageSize,
        },
        signal,
      ),
    { items: [], total: 0 },
  );
  const items = computed(() => found.value.items);
  const total = computed(() => found.value.total);
  let typing: ReturnType<typeof setTimeout> | undefined;

  /** Search now (Enter in the search box), without waiting for the typing pause. */
  function searchNow(): void {
    clearTimeout(typing);
    // Back to page 1; changing the page asks the server by itself.
    if (page.value !== 1) page.value = 1;
    else void load();
  }

  watch(
    () => filters.q,
    () => {
      clearTimeout(typing);
      typing = setTimeout(searchNow, TYPING_PAUSE_MS);
    },
  );
  watch(() => [filters.campusId, filters.departmentId, filters.kind, filters.status, filters.role], searchNow);
  watch(page, () => void load());
  onBeforeUnmount(() => clearTimeout(typing));

  /** Shows what the address asks for (opening a filtered list from another page). */
  function apply(wanted: { filters: PeopleFilters; page: number }): void {
    Object.assign(filters, wanted.filters);
    page.value = wanted.page;
  }

  function reset(): void {
    Object.assign(filters, { q: '', campusId: null, departmentId: null, kind: null, status: 'active', role: null });
  }

  return { filters, page, pageSize, items, total, loading, error, load, searchNow, apply, reset };
}
