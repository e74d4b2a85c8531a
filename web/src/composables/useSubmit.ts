import { ref } from 'vue';
import { useErrorText } from './useErrorText.ts';

/**
 * Runs a form's save: tracks `busy`, keeps the translated error for the form and the server's field
 * errors by field name (for el-form-item :error), and clears both on the next try.
 */
export function useSubmit() {
  const { errorText, fieldErrors: fieldErrorsOf } = useErrorText();
  const busy = ref(false);
  const error = ref('');
  const fieldErrors = ref<Record<string, string>>({});

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = '';
    fieldErrors.value = {};
    try {
      return await action();
    } catch (failure) {
      const text = errorText(failure);
      fieldErrors.value = fieldErrorsOf(failure);
      // A refusal that is about one field is said once, on that field.
      error.value = Object.values(fieldErrors.value).includes(text) ? '' : text;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  function clear(): void {
    error.value = '';
    fieldErrors.value = {};
  }

  return { busy, error, fieldErrors, run, clear };
}
