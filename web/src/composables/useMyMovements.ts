import type { StatementItem, WalletNotification } from '@canteen/server/api';
import { ref } from 'vue';
import { ledgerApi } from '../api/ledger.ts';
import { useErrorText } from './useErrorText.ts';
import { WALLET_MOVEMENT } from './useNotificationStream.ts';

/** Statement items the phone has already seen, so an item's page opens at once from a list. */
const seen = new Map<number, StatementItem>();

export function rememberMovements(items: StatementItem[]): void {
  for (const item of items) seen.set(item.entryId, item);
}

/** The newest few movements for the home page, reloaded when a notification says money moved. */
export function useLatestMovements(count = 5) {
  const { errorText } = useErrorText();
  const items = ref<StatementItem[]>([]);
  const error = ref('');

  async function load(): Promise<void> {
    try {
      items.value = (await ledgerApi.myStatement({ limit: count })).items;
      rememberMovements(items.value);
      error.value = '';
    } catch (failure) {
      error.value = errorText(failure);
    }
  }

  return { items, error, load };
}

/** One statement item by its entry id: from what a list showed, else looked up page by page. */
export function useMovement(entryId: () => number) {
  const { errorText } = useErrorText();
  const item = ref<StatementItem | null>(seen.get(entryId()) ?? null);
  const loading = ref(false);
  const error = ref('');
  const missing = ref(false);

  async function load(): Promise<void> {
    item.value = seen.get(entryId()) ?? null;
    if (item.value) return;
    loading.value = true;
    try {
      // No route returns one item: walk the pages (newest first) until the entry is passed.
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await ledgerApi.myStatement({ limit: 100, cursor });
        rememberMovements(page.items);
        const found = page.items.find((i) => i.entryId === entryId());
        if (found || page.nextCursor === null || page.items.some((i) => i.entryId < entryId())) {
          item.value = found ?? null;
          break;
        }
        cursor = page.nextCursor;
      }
      missing.value = item.value === null;
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return { item, loading, error, missing, load };
}

/** A wallet movement notification's amount and kind, or null for other topics (card notices). */
export function movementOf(notice: WalletNotification): { kind: string; amountFen: number } | null {
  if (notice.topic !== WALLET_MOVEMENT) return null;
  const { kind, amountFen } = notice.payload;
  return typeof kind === 'string' && typeof amountFen === 'number' ? { kind, amountFen } : null;
}
