import type { WalletNotification } from '@canteen/server/api';
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { NOTIFICATION_STREAM } from '../api/ledger.ts';

/** Topics of the outbox the person's phone listens to (server/src/platform/outbox.ts, cards service). */
export const WALLET_MOVEMENT = 'wallet.movement';
export const CARD_NOTICE = 'card.notice';

/**
 * The signed-in person's notifications, live, while the page is open: one event per movement of money
 * or card change. EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed
 * across a dropped connection.
 */
export function useNotificationStream(onNotice: (notice: WalletNotification) => void) {
  const connected = ref(false);
  let source: EventSource | null = null;

  const listener = (event: MessageEvent<string>) => {
    try {
      onNotice(JSON.parse(event.data) as WalletNotification);
    } catch {
      // A malformed event is dropped; the next reload shows the truth from the statement.
    }
  };

  onMounted(() => {
    if (typeof EventSource === 'undefined') return;
    source = new EventSource(NOTIFICATION_STREAM, { withCredentials: true });
    source.onopen = () => (connected.value = true);
    source.onerror = () => (connected.value = false);
    source.addEventListener(WALLET_MOVEMENT, listener);
    source.addEventListener(CARD_NOTICE, listener);
  });
  onBeforeUnmount(() => {
    source?.close();
    source = null;
  });

  return { connected };
}
