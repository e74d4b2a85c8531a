import type { SubsidyBatch, SubsidyBatchDetail } from '@canteen/server/api';
import { computed, ref } from 'vue';
import { ApiError } from '../api/client.ts';
import { subsidiesApi } from '../api/subsidies.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useSubmit } from './useSubmit.ts';

/** A file's bytes as base64, the way the upload route takes them (no multipart parser on the server). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a whole 5 MB file would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The subsidy import wizard: upload a file (→ a draft batch with every line and its problems), look at
 * it, then grant it once. The confirm's Idempotency-Key is kept for the batch until it is granted, so a
 * retried click after a timeout never grants twice (the server would also refuse a second grant).
 */
export function useSubsidyImport() {
  const upload = useSubmit();
  const decide = useSubmit();
  const attempt = useAttemptKey();
  const batch = ref<SubsidyBatchDetail | null>(null);
  const granted = ref<SubsidyBatch | null>(null);
  const history = ref<SubsidyBatch[]>([]);

  const problemLines = computed(() => batch.value?.lines.filter((l) => l.problems.length) ?? []);

  async function loadHistory(): Promise<void> {
    history.value = await subsidiesApi.batches({ limit: 50 }).catch(() => history.value);
  }

  async function send(file: File, month: string | null): Promise<boolean> {
    const result = await upload.run(async () =>
      subsidiesApi.upload({
        fileName: file.name,
        contentBase64: await fileToBase64(file),
        ...(month ? { month } : {}),
      }),
    );
    if (result) {
      batch.value = result;
      granted.value = null;
      void loadHistory();
    }
    return result !== undefined;
  }

  async function open(id: number): Promise<void> {
    const result = await upload.run(() => subsidiesApi.batch(id));
    if (result) {
      batch.value = result;
      granted.value = null;
    }
  }

  async function confirm(skipProblemRows: boolean): Promise<boolean> {
    const current = batch.value;
    if (!current) return false;
    const key = attempt.keyFor({ batch: current.id, skipProblemRows });
    const result = await decide.run(async () => {
      try {
        return await subsidiesApi.confirm(current.id, skipProblemRows, key);
      } catch (failure) {
        if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) attempt.finish();
        throw failure;
      }
    });
    if (!result) return false;
    attempt.finish();
    granted.value = result;
    void loadHistory();
    return true;
  }

  async function cancel(): Promise<boolean> {
    const current = batch.value;
    if (!current) return false;
    const result = await decide.run(() => subsidiesApi.cancel(current.id));
    if (result) {
      batch.value = null;
      void loadHistory();
    }
    return result !== undefined;
  }

  function reset(): void {
    batch.value = null;
    granted.value = null;
    upload.clear();
    decide.clear();
  }

  return { batch, granted, history, problemLines, upload, decide, loadHistory, send, open, confirm, cancel, reset };
}
