import { defineComponent, h } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '../testing/mountWithApp.ts';
import { ORDER_POLL_DELAYS_MS, ORDER_POLL_GIVE_UP_MS, useOnlineTopUp } from './useOnlineTopUp.ts';

type Status = 'created' | 'paid' | 'failed' | 'expired';

/**
 * The server as the phone sees it, at the network boundary: the order is created, the test payer
 * answers "created", and each look at the order answers the next status of `looks`.
 */
function serverAnswering(looks: Status[]) {
  const requests: { path: string; at: number }[] = [];
  const order = (status: Status) => ({ id: 7, channel: 'test', amountFen: 2050, status, outTradeNo: 'T7' });
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  let look = 0;
  vi.stubGlobal('fetch', async (url: string) => {
    const path = new URL(url, 'http://canteen.test').pathname;
    requests.push({ path, at: Date.now() });
    if (path === '/api/me/top-ups') return json({ order: order('created'), payment: { token: 'tok12345' } });
    if (path.startsWith('/api/payments/test/pay/')) return json(order('created'));
    if (path === '/api/me/top-ups/7') return json(order(looks[Math.min(look++, looks.length - 1)] ?? 'created'));
    if (path === '/api/me/wallet') return json({ availableFen: 12050 });
    return new Response('{}', { status: 404 });
  });
  return { looksAt: () => requests.filter((r) => r.path === '/api/me/top-ups/7') };
}

function topUpPage() {
  let topUp!: ReturnType<typeof useOnlineTopUp>;
  const Page = defineComponent({
    setup() {
      topUp = useOnlineTopUp();
      return () => h('p', topUp.error.value || (topUp.paid.value ? `paid ${topUp.paid.value.balanceFen}` : ''));
    },
  });
  const wrapper = mountWithApp(Page);
  return { wrapper, topUp: () => topUp };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useOnlineTopUp', () => {
  it.each([
    { ends: 'paid on the third look', looks: ['created', 'created', 'paid'], shows: 'paid 12050', lookCount: 3 },
    { ends: 'failed', looks: ['created', 'failed'], shows: '支付没有成功，余额没有变化。可以重新充值。', lookCount: 2 },
    { ends: 'expired', looks: ['expired'], shows: '支付没有成功，余额没有变化。可以重新充值。', lookCount: 1 },
  ] as const)('stops looking when the order is $ends', async ({ looks, shows, lookCount }) => {
    const server = serverAnswering([...looks]);
    const { wrapper, topUp } = topUpPage();
    const paying = topUp().pay(2050);
    await vi.runAllTimersAsync();
    await paying;
    expect(wrapper.text()).toBe(shows);
    expect(server.looksAt()).toHaveLength(lookCount);
    expect(topUp().paying.value).toBe(false);
    wrapper.unmount();
  });

  it('waits longer between looks, and gives up after a minute saying the money has not arrived yet', async () => {
    const server = serverAnswering(['created']);
    const { wrapper, topUp } = topUpPage();
    const started = Date.now();
    const paying = topUp().pay(2050);
    await vi.runAllTimersAsync();
    await paying;
    const times = server.looksAt().map((r) => r.at - started);
    const gaps = times.map((at, i) => at - (times[i - 1] ?? 0));
    expect(gaps.slice(0, ORDER_POLL_DELAYS_MS.length)).toEqual([...ORDER_POLL_DELAYS_MS]);
    expect(gaps.every((gap, i) => i === 0 || gap >= (gaps[i - 1] ?? 0))).toBe(true);
    expect(times.at(-1)).toBeGreaterThanOrEqual(ORDER_POLL_GIVE_UP_MS);
    expect(times.at(-1)).toBeLessThan(ORDER_POLL_GIVE_UP_MS + 5000);
    expect(wrapper.text()).toBe('支付尚未到账，请稍后查看账单。');
    wrapper.unmount();
  });

  it('stops looking when the page is left', async () => {
    const server = serverAnswering(['created']);
    const { wrapper, topUp } = topUpPage();
    const paying = topUp().pay(2050);
    await vi.advanceTimersByTimeAsync(ORDER_POLL_DELAYS_MS[0] + ORDER_POLL_DELAYS_MS[1]);
    const seen = server.looksAt().length;
    expect(seen).toBe(2);
    wrapper.unmount();
    await vi.runAllTimersAsync();
    await paying;
    expect(server.looksAt()).toHaveLength(seen);
  });
});
