import type { TopUpOrder } from '@canteen/server/api';
import { getCurrentScope, onScopeDispose, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ledgerApi } from '../api/ledger.ts';
import { paymentsApi } from '../api/payments.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useErrorText } from './useErrorText.ts';

/**
 * Waits before each look at a payment order: soon at first (a payment usually lands within a second
 * or two), then less often, so a slow payment does not keep the phone and the server busy.
 */
export const ORDER_POLL_DELAYS_MS = [500, 1000, 1000, 2000, 3000, 5000] as const;
/** After this long the page stops looking and says the money has not arrived yet (the statement will show it). */
export const ORDER_POLL_GIVE_UP_MS = 60_000;

/**
 * 在线充值 through the test channel: the order is created once per attempt (Idempotency-Key), the
 * simulated payer pays it, and the order is looked at with growing pauses until it is paid or failed.
 * Leaving the page stops the looking at once.
 */
export function useOnlineTopUp() {
  const { t } = useI18n();
  const { errorText } = useErrorText();
  const attempt = useAttemptKey();
  const paying = ref(false);
  const error = ref('');
  const paid = ref<{ amountFen: number; balanceFen: number } | null>(null);
  const left = new AbortController();
  if (getCurrentScope()) onScopeDispose(() => left.abort());

  async function pay(amountFen: number): Promise<void> {
    if (paying.value) return;
    paying.value = true;
    error.value = '';
    paid.value = null;
    try {
      const body = { amountFen, channel: 'test' as const };
      const { order, payment } = await attempt.send(body, (key) => paymentsApi.createTopUp(body, key));
      const answered = order.status === 'created' ? await paymentsApi.payWithTestChannel(payment.token) : order;
      const settled = await waitUntilSettled(answered, left.signal);
      if (left.signal.aborted) return;
      if (settled.status === 'paid') {
        paid.value = { amountFen: settled.amountFen, balanceFen: (await ledgerApi.myWallet()).availableFen };
      } else {
        error.value = t(settled.status === 'created' ? 'topUp.notPaid' : 'topUp.failed');
      }
    } catch (failure) {
      if (!left.signal.aborted) error.value = errorText(failure);
    } finally {
      paying.value = false;
    }
  }

  return { paying, error, paid, pay };
}

/** The order as it is once paid, failed or expired; or still created after ORDER_POLL_GIVE_UP_MS or a stop. */
async function waitUntilSettled(order: TopUpOrder, stop: AbortSignal): Promise<TopUpOrder> {
  let current = order;
  let waited = 0;
  for (let look = 0; current.status === 'created' && waited < ORDER_POLL_GIVE_UP_MS; look++) {
    const delay = ORDER_POLL_DELAYS_MS[Math.min(look, ORDER_POLL_DELAYS_MS.length - 1)] ?? 0;
    if (!(await pause(delay, stop))) break;
    waited += delay;
    current = await paymentsApi.topUp(current.id, stop);
  }
  return current;
}

/** Resolves true after `ms`, or false at once when stopped. */
function pause(ms: number, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve(false);
    const onStop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onStop);
      resolve(true);
    }, ms);
    stop.addEventListener('abort', onStop, { once: true });
  });
}
