import { ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';

/**
 * Asks for the reason of a card or PIN action (it goes into the audit log with the action); null when
 * the person cancels. Enter confirms, as everywhere in the console.
 */
export function useReasonPrompt() {
  const { t } = useI18n();
  return async (title: string, confirmText: string, message = ''): Promise<string | null> => {
    try {
      const { value } = await ElMessageBox.prompt(message || t('cards.reasonRequired'), title, {
        confirmButtonText: confirmText,
        cancelButtonText: t('common.cancel'),
        inputPlaceholder: t('cards.reasonPlaceholder'),
        inputValidator: (text: string) => (text.trim() ? true : t('cards.reasonRequired')),
        inputErrorMessage: t('cards.reasonRequired'),
        closeOnClickModal: false,
        customClass: 'reason-prompt',
      });
      return value.trim().slice(0, 200);
    } catch {
      return null;
    }
  };
}
