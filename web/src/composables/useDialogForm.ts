import { reactive, watch, type Ref } from 'vue';
import { useSubmit } from './useSubmit.ts';

/**
 * The form of a FormDialog: filled afresh from `fill()` each time the dialog opens (a cancelled edit
 * leaves nothing behind), saved through useSubmit (busy, the translated error, the server's field
 * errors), and on success the dialog closes and `done` gets what the server answered.
 */
export function useDialogForm<F extends object, T>(
  open: Ref<boolean>,
  fill: () => F,
  save: (form: F) => Promise<T>,
  done: (saved: T) => void,
) {
  // A form holds plain values (no refs inside), so its reactive proxy reads as F.
  const form = reactive(fill()) as F;
  const { busy, error, fieldErrors, run, clear } = useSubmit();

  watch(open, (isOpen) => {
    if (!isOpen) return;
    clear();
    Object.assign(form, fill());
  });

  async function submit(): Promise<void> {
    const saved = await run(() => save(form));
    if (saved === undefined) return;
    open.value = false;
    done(saved);
  }

  return { form, busy, error, fieldErrors, submit };
}
