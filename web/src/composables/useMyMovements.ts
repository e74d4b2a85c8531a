import type { StatementItem, WalletNotification } from '@canteen/server/api';
import { computed } from 'vue';
import { ledgerApi } from '../api/ledger.ts';
import { WALLET_MOVEMENT } from './useNotificationStream.ts';
import { useResource } from './useResource.ts';

/** Statement items the phone has already seen, so an item's page opens at once from a list. */
const seen = new Map<number, StatementItem>();

export function rememberMovements(items: StatementItem[]): void {
  for (const item of items) seen.set(item.entryId, item);
}

/** The newest few movements for the home page, reloaded when a notification says money moved. */
export function useLatestMovements(count = 5) {
  const {
    data: items,
    error,
    load,
  } = useResource<StatementItem[]>(async (signal) => {
    const { items } = await ledgerApi.myStatement({ limit: count }, signal);
    rememberMovements(items);
    return items;
  }, []);
  return { items, error, load };
}

/** Looks an entry up page by page (newest first) until it is passed: no route returns one item. */
async function findMovement(entryId: number, signal: AbortSignal): Promise<StatementItem | null> {
  let cursor: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page = await ledgerApi.myStatement({ limit: 100, cursor }, signal);
    rememberMovements(page.items);
    const found = page.items.find((i) => i.entryId === entryId);
    if (found || page.nextCursor === null || page.items.some((i) => i.entryId < entryId)) return found ?? null;
    cursor = page.nextCursor;
  }
  return null;
}

/** One statement item by its entry id: from what a list showed, else looked up page by page. */
export function useMovement(entryId: () => number) {
  const cached = seen.get(entryId());
  // null until looked up; then { item: null } says it is not in the statement.
  const { data, loading, error, load } = useResource<{ item: StatementItem | null } | null>(
    async (signal) => ({ item: seen.get(entryId()) ?? (await findMovement(entryId(), signal)) }),
    cached ? { item: cached } : null,
  );
  const item = computed(() => data.value?.item ?? null);
  const missing = computed(() => data.value !== null && data.value.item === null);
  return { item, loading, error, missing, load };
}

/** A wallet movement notification's amount and kind, or null for other topics (card notices). */
export function movementOf(notice: WalletNotification): { kind: string; amountFen: number } | null {
  if (notice.topic !== WALLET_MOVEMENT) return null;
  const { kind, amountFen } = notice.payload;
  return typeof kind === 'string' && typeof amountFen === 'number' ? { kind, amountFen } : null;
}
