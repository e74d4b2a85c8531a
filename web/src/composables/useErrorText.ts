import { useI18n } from 'vue-i18n';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { fieldProblemKind } from '../api/fieldProblem.ts';
import { useDateTime } from './useDateTime.ts';

// Conflicts the server reports without a field path, and the field they are about.
const CODE_FIELDS: Record<string, string> = {
  EMPLOYEE_NO_TAKEN: 'employeeNo',
  CAMPUS_CODE_TAKEN: 'code',
  DEPARTMENT_CODE_TAKEN: 'code',
};

/**
 * Turns any failure into text for the person in front of the screen: a server error by its stable
 * code (errors.<CODE>), with the problem's extra fields as parameters, else a generic message.
 */
export function useErrorText() {
  const { t, te } = useI18n();
  const { time } = useDateTime();

  function errorText(error: unknown): string {
    if (!(error instanceof ApiError)) return t('errors.generic', { code: NETWORK_ERROR });
    const params: Record<string, unknown> = { ...error.extra, code: error.code };
    const lockedUntil = error.extra['lockedUntil'];
    if (typeof lockedUntil === 'string') {
      params['lockedUntil'] = time(lockedUntil);
    }
    // "1 second" and "2 seconds": the count picks the plural form where the language has one.
    if (error.code === 'TOO_MANY_ATTEMPTS' && typeof error.extra['retryAfterSeconds'] === 'number') {
      return t('errors.TOO_MANY_ATTEMPTS', params, error.extra['retryAfterSeconds']);
    }
    const key = `errors.${error.code}`;
    return te(key) ? t(key, params) : t('errors.generic', params);
  }

  /** Body fields the server named, each with translated text, keyed by field name (/body/name → name). */
  function fieldErrors(error: unknown): Record<string, string> {
    if (!(error instanceof ApiError)) return {};
    const fields: Record<string, string> = {};
    const field = CODE_FIELDS[error.code];
    if (field) fields[field] = errorText(error);
    for (const [field, message] of Object.entries(error.fieldErrors())) {
      if (error.code !== 'VALIDATION_FAILED') fields[field] = errorText(error);
      else fields[field] = t(`errors.field.${fieldProblemKind(message)}`);
    }
    return fields;
  }

  return { errorText, fieldErrors };
}
