import { computed, ref, shallowRef } from 'vue';
import type { CursorPage } from './useCursorList.ts';
import { useErrorText } from './useErrorText.ts';

/**
 * The console's tables over a cursor API: one page at a time with previous and next. The cursors of
 * the pages already seen are kept, so "previous" asks for exactly what was shown before.
 */
export function useCursorPages<T>(
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<CursorPage<T>>,
) {
  const { errorText } = useErrorText();
  const items = shallowRef<T[]>([]);
  const loading = ref(false);
  const error = ref('');
  /** cursors[i] opens page i (page 0 has none). */
  const cursors = ref<(string | undefined)[]>([undefined]);
  const page = ref(0);
  const nextCursor = ref<string | null>(null);
  let controller = new AbortController();

  async function show(index: number): Promise<void> {
    controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    loading.value = true;
    try {
      const result = await fetchPage(cursors.value[index], signal);
      if (signal.aborted) return;
      items.value = result.items;
      page.value = index;
      nextCursor.value = result.nextCursor;
      cursors.value = [...cursors.value.slice(0, index + 1), result.nextCursor ?? undefined];
      error.value = '';
    } catch (failure) {
      if (!signal.aborted) error.value = errorText(failure);
    } finally {
      if (!signal.aborted) loading.value = false;
    }
  }

  const hasNext = computed(() => nextCursor.value !== null);
  const hasPrevious = computed(() => page.value > 0);

  return {
    items,
    loading,
    error,
    page,
    hasNext,
    hasPrevious,
    first: () => {
      cursors.value = [undefined];
      return show(0);
    },
    next: () => (hasNext.value ? show(page.value + 1) : Promise.resolve()),
    previous: () => (hasPrevious.value ? show(page.value - 1) : Promise.resolve()),
    reload: () => show(page.value),
  };
}
