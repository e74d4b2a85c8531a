import { useI18n } from 'vue-i18n';
import { formatFen } from './money.ts';
import type { ImportNotice, ImportProblem } from './useImportWizard.ts';

/**
 * Words for a row problem or a file warning of an import, by its stable code: the file's own words
 * (`<problemKeys>.<CODE>`, e.g. subsidy.problemCodes.NAME_MISMATCH), else the shared `errors.<CODE>`,
 * else the server's English message. A new code the server starts to send needs only an i18n entry.
 * The item's other fields are the message's parameters; amounts (…Fen) are shown as money.
 */
export function useImportText(problemKeys: () => string) {
  const { t, te } = useI18n();

  function details(item: ImportProblem | ImportNotice): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item)) {
      if (typeof value === 'number' && name.endsWith('Fen')) params[name] = formatFen(value);
      else if (Array.isArray(value)) params[name] = value.join(', ');
      else params[name] = value;
    }
    return params;
  }

  function problemText(item: ImportProblem | ImportNotice): string {
    for (const key of [`${problemKeys()}.${item.code}`, `errors.${item.code}`]) {
      if (te(key)) return t(key, details(item));
    }
    return typeof item.message === 'string' && item.message ? item.message : item.code;
  }

  return { problemText };
}
