import { ref, shallowRef } from 'vue';
import { useErrorText } from './useErrorText.ts';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list the server pages with a cursor (newest first; `nextCursor` asks for older items), grown one
 * page at a time: the phone's infinite scroll. A new query starts over and drops answers to the old one.
 */
export function useCursorList<T>(
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<CursorPage<T>>,
) {
  const { errorText } = useErrorText();
  const items = shallowRef<T[]>([]);
  const loading = ref(false);
  const finished = ref(false);
  const error = ref('');
  let cursor: string | undefined;
  let controller = new AbortController();

  async function loadMore(): Promise<void> {
    if (finished.value || loading.value) return;
    const signal = controller.signal;
    loading.value = true;
    try {
      const page = await fetchPage(cursor, signal);
      if (signal.aborted) return;
      items.value = [...items.value, ...page.items];
      cursor = page.nextCursor ?? undefined;
      finished.value = page.nextCursor === null;
      error.value = '';
    } catch (failure) {
      if (signal.aborted) return;
      error.value = errorText(failure);
    } finally {
      if (!signal.aborted) loading.value = false;
    }
  }

  /** Starts over from the newest item (after a filter change or a new movement). */
  async function reload(): Promise<void> {
    controller.abort();
    controller = new AbortController();
    items.value = [];
    cursor = undefined;
    finished.value = false;
    loading.value = false;
    error.value = '';
    await loadMore();
  }

  return { items, loading, finished, error, loadMore, reload };
}
