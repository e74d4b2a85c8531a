import type { LedgerSettings, LedgerSettingsChange } from '@canteen/server/api';
import { ref } from 'vue';
import { ledgerApi } from '../api/ledger.ts';
import { useErrorText } from './useErrorText.ts';
import { useSubmit } from './useSubmit.ts';

/** The hospital's ledger settings (purse order, subsidy expiry, transfer limit) for finance to change. */
export function useLedgerSettings() {
  const { errorText } = useErrorText();
  const settings = ref<LedgerSettings | null>(null);
  const loadError = ref('');
  const save = useSubmit();

  async function load(): Promise<void> {
    try {
      settings.value = await ledgerApi.settings();
      loadError.value = '';
    } catch (failure) {
      loadError.value = errorText(failure);
    }
  }

  async function change(body: LedgerSettingsChange): Promise<boolean> {
    const saved = await save.run(() => ledgerApi.changeSettings(body));
    if (saved) settings.value = saved;
    return saved !== undefined;
  }

  return { settings, loadError, save, load, change };
}
