import { getCurrentScope, onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import { useErrorText } from './useErrorText.ts';

/**
 * Something a page shows from the server: the data, whether it is loading, and the translated error of
 * the last try (the data of the last good answer stays on screen meanwhile). Only the newest load counts:
 * an answer to an older one (a person or campus changed quickly) is dropped, and so is the answer in
 * flight when the page goes away. `fetch` gets the signal to cancel its request where the API takes one.
 */
export function useResource<T, A extends unknown[] = []>(
  fetch: (signal: AbortSignal, ...args: A) => Promise<T>,
  initial: T,
) {
  const { errorText } = useErrorText();
  const data = shallowRef(initial) as Ref<T>;
  const loading = ref(false);
  const error = ref('');
  let inFlight: AbortController | undefined;

  /** Loads (again); true when this answer is now the data. */
  async function load(...args: A): Promise<boolean> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    error.value = '';
    try {
      const value = await fetch(controller.signal, ...args);
      if (controller.signal.aborted) return false;
      data.value = value;
      return true;
    } catch (failure) {
      if (!controller.signal.aborted) error.value = errorText(failure);
      return false;
    } finally {
      if (inFlight === controller) {
        inFlight = undefined;
        loading.value = false;
      }
    }
  }

  if (getCurrentScope()) onScopeDispose(() => inFlight?.abort());

  return { data, loading, error, load };
}
