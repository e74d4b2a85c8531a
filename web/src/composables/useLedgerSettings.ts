import type { LedgerSettings, LedgerSettingsChange } from '@canteen/server/api';
import { ledgerApi } from '../api/ledger.ts';
import { useResource } from './useResource.ts';
import { useSubmit } from './useSubmit.ts';

/** The hospital's ledger settings (purse order, subsidy expiry, transfer limit) for finance to change. */
export function useLedgerSettings() {
  const {
    data: settings,
    error: loadError,
    load,
  } = useResource<LedgerSettings | null>(() => ledgerApi.settings(), null);
  const save = useSubmit();

  async function change(body: LedgerSettingsChange): Promise<boolean> {
    const saved = await save.run(() => ledgerApi.changeSettings(body));
    if (saved) settings.value = saved;
    return saved !== undefined;
  }

  return { settings, loadError, save, load, change };
}
