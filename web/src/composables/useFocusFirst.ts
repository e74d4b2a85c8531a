import { nextTick, type Ref } from 'vue';

/** Puts the cursor in the first field of a form, so keyboard users can type at once. */
export function useFocusFirst(container: Ref<HTMLElement | { $el: HTMLElement } | null | undefined>) {
  return async (): Promise<void> => {
    await nextTick();
    const target = container.value;
    const root = target instanceof HTMLElement ? target : target?.$el;
    // A fast typist may already be in a field of the form: leave the cursor where it is.
    if (root?.contains(document.activeElement) && document.activeElement?.matches('input, textarea')) return;
    const field = root?.querySelector<HTMLElement>('input:not([type=hidden]):not([readonly]), textarea');
    field?.focus();
  };
}
