import type { PeopleImportPreview, PeopleImportResult } from '@canteen/server/api';
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client.ts';
import { orgApi } from '../api/org.ts';
import { useErrorText } from './useErrorText.ts';
import { fileToBase64 } from './useSubsidyImport.ts';

/**
 * The people import wizard: upload a file (→ every row with its problems, nothing written), look at
 * it, then import it. The server keeps no draft: the same file is sent again with the confirm and
 * checked again there, so what is created is what the file says at that moment. Importing twice
 * creates nobody twice (those rows come back as "exists").
 */
export function usePeopleImport() {
  const { t } = useI18n();
  const { errorText } = useErrorText();
  const file = ref<{ fileName: string; contentBase64: string } | null>(null);
  const preview = ref<PeopleImportPreview | null>(null);
  const result = ref<PeopleImportResult | null>(null);
  const checking = ref(false);
  const importing = ref(false);
  const error = ref('');

  const problemRows = computed(() => preview.value?.rows.filter((r) => r.status === 'problem') ?? []);

  // The shared text for a missing header names the subsidy columns; a people file needs others.
  const textOf = (failure: unknown): string =>
    failure instanceof ApiError && failure.code === 'FILE_HEADER_MISSING'
      ? t('peopleImport.headerMissing')
      : errorText(failure);

  async function check(): Promise<boolean> {
    if (!file.value) return false;
    checking.value = true;
    error.value = '';
    try {
      preview.value = await orgApi.previewPeopleImport(file.value);
      result.value = null;
      return true;
    } catch (failure) {
      error.value = textOf(failure);
      return false;
    } finally {
      checking.value = false;
    }
  }

  async function send(picked: File): Promise<boolean> {
    if (checking.value) return false;
    file.value = { fileName: picked.name, contentBase64: await fileToBase64(picked) };
    return check();
  }

  async function confirm(skipProblemRows: boolean): Promise<boolean> {
    if (!file.value || importing.value) return false;
    importing.value = true;
    error.value = '';
    try {
      result.value = await orgApi.importPeople({ ...file.value, skipProblemRows });
      return true;
    } catch (failure) {
      error.value = textOf(failure);
      // Someone took a number since the preview: show the rows as they are now.
      if (failure instanceof ApiError && failure.code === 'IMPORT_HAS_PROBLEMS') {
        const message = error.value;
        await check();
        error.value = message;
      }
      return false;
    } finally {
      importing.value = false;
    }
  }

  function reset(): void {
    file.value = null;
    preview.value = null;
    result.value = null;
    error.value = '';
  }

  return { preview, result, problemRows, checking, importing, error, send, confirm, reset };
}
