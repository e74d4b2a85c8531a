import { onBeforeUnmount, onMounted } from 'vue';

/** "/" focuses the page's search box, as in many consoles; typing "/" inside a field still types it. */
export function useSearchShortcut(focus: () => void): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    event.preventDefault();
    focus();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
