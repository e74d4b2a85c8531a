import { useI18n } from 'vue-i18n';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { useDateTime } from './useDateTime.ts';

// The server's validator (Ajv) says what is wrong in English; these name the common cases.
const REQUIRED = /required|fewer than 1 |must match pattern "\\\\S"/;
const TOO_LONG = /more than \d+ (characters|items)/;
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
    if (error.code === 'INVALID_CREDENTIALS' && typeof error.extra['attemptsLeft'] === 'number') {
      return t('errors.INVALID_CREDENTIALS_attempts', params, error.extra['attemptsLeft']);
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
      else if (REQUIRED.test(message)) fields[field] = t('errors.field.required');
      else if (TOO_LONG.test(message)) fields[field] = t('errors.field.tooLong');
      else fields[field] = t('errors.field.invalid');
    }
    return fields;
  }

  return { errorText, fieldErrors };
}
