import type {
  PeopleFile,
  PeopleImportPreview,
  PeopleImportResult,
  PeopleImportRow,
  SubsidyBatch,
  SubsidyBatchDetail,
  SubsidyLine,
} from '@canteen/server/api';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client.ts';
import { orgApi } from '../api/org.ts';
import { subsidiesApi } from '../api/subsidies.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import type { ImportNotice, ImportSource } from './useImportWizard.ts';

/** A file's bytes as base64, the way the upload routes take them (no multipart parser on the server). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a whole 5 MB file would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The file-level warnings of a preview, when the server sends them (`warnings: [{ code, … }]`). */
export function noticesOf(preview: object): ImportNotice[] {
  const warnings: unknown = (preview as { warnings?: unknown }).warnings;
  if (!Array.isArray(warnings)) return [];
  return warnings.filter(
    (w): w is ImportNotice => typeof w === 'object' && w !== null && typeof (w as ImportNotice).code === 'string',
  );
}

/**
 * 批量导入人员. The server keeps no draft: the confirm sends the same file again and it is checked again
 * there, so what is created is what the file says at that moment; importing twice creates nobody twice.
 */
export function usePeopleImportSource(): ImportSource<PeopleImportPreview, PeopleImportResult, PeopleImportRow> {
  const { t } = useI18n();
  let sent: PeopleFile | null = null;
  return {
    async check(file) {
      sent = { fileName: file.name, contentBase64: await fileToBase64(file) };
      return orgApi.previewPeopleImport(sent);
    },
    async confirm(_preview, skipProblemRows) {
      if (!sent) throw new Error('no file checked');
      return orgApi.importPeople({ ...sent, skipProblemRows });
    },
    preview: (preview) => ({
      fileName: preview.fileName,
      rows: preview.rows,
      readyCount: preview.totals.new,
      problemRowCount: preview.totals.problem,
      problemCounts: preview.problemCounts,
      warnings: noticesOf(preview),
    }),
    // The shared text for a missing header names the subsidy columns; a people file needs others.
    errorText: (failure) =>
      failure instanceof ApiError && failure.code === 'FILE_HEADER_MISSING' ? t('peopleImport.headerMissing') : null,
    // Someone took a number since the preview: show the rows as they are now.
    recheckAfter: (failure) => failure instanceof ApiError && failure.code === 'IMPORT_HAS_PROBLEMS',
  };
}

/**
 * 补贴导入. The upload makes a draft batch with every line and its problems; the grant's Idempotency-Key
 * is kept for the batch until it is granted, so a retried click after a timeout never grants twice.
 */
export function useSubsidyImportSource(
  month: () => string | null,
): ImportSource<SubsidyBatchDetail, SubsidyBatch, SubsidyLine> {
  const attempt = useAttemptKey();
  return {
    async check(file) {
      const wanted = month();
      return subsidiesApi.upload({
        fileName: file.name,
        contentBase64: await fileToBase64(file),
        ...(wanted ? { month: wanted } : {}),
      });
    },
    confirm: (batch, skipProblemRows) =>
      attempt.send({ batch: batch.id, skipProblemRows }, (key) => subsidiesApi.confirm(batch.id, skipProblemRows, key)),
    preview: (batch) => ({
      fileName: batch.fileName,
      rows: batch.lines,
      readyCount: batch.goodLineCount,
      problemRowCount: batch.problemLineCount,
      problemCounts: batch.problemCounts,
      warnings: noticesOf(batch),
    }),
  };
}
