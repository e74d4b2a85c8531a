import { flushPromises } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { mountWithApp } from '../testing/mountWithApp.ts';
import { useResource } from './useResource.ts';

/** An answer the test gives when it wants to, as a slow server would. */
function later<T>() {
  let settle!: { resolve: (value: T) => void; reject: (failure: unknown) => void };
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

/** A page that shows what useResource holds: the loading flag, the error, or the data. */
function pageOver(fetch: (signal: AbortSignal, name: string) => Promise<string>) {
  let resource!: ReturnType<typeof useResource<string, [string]>>;
  const Page = defineComponent({
    setup() {
      resource = useResource(fetch, '—');
      return () =>
        h('p', [resource.loading.value ? 'loading ' : '', resource.error.value || `data: ${resource.data.value}`]);
    },
  });
  const wrapper = mountWithApp(Page);
  return { wrapper, resource: () => resource };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('useResource', () => {
  it.each([
    { outcome: 'an answer', settle: 'resolve', shows: 'data: 王晓燕' },
    { outcome: 'a refusal', settle: 'reject', shows: '没有执行此操作的权限' },
  ] as const)('shows loading, then $outcome', async ({ settle, shows }) => {
    const answer = later<string>();
    const { wrapper, resource } = pageOver(() => answer.promise);
    unmount = () => wrapper.unmount();
    const loaded = resource().load('x');
    await flushPromises();
    expect(wrapper.text()).toBe('loading data: —');
    if (settle === 'resolve') answer.resolve('王晓燕');
    else answer.reject(new ApiError(403, 'FORBIDDEN', 'Forbidden'));
    expect(await loaded).toBe(settle === 'resolve');
    await flushPromises();
    expect(wrapper.text()).toBe(shows);
  });

  it('keeps only the newest answer when an older one arrives last', async () => {
    const answers = { first: later<string>(), second: later<string>() };
    const signals: AbortSignal[] = [];
    const { wrapper, resource } = pageOver((signal, name) => {
      signals.push(signal);
      return answers[name as keyof typeof answers].promise;
    });
    unmount = () => wrapper.unmount();
    const first = resource().load('first');
    const second = resource().load('second');
    answers.second.resolve('second person');
    answers.first.resolve('first person');
    expect([await first, await second]).toEqual([false, true]);
    await flushPromises();
    expect(wrapper.text()).toBe('data: second person');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it('drops the answer in flight when the page goes away', async () => {
    const answer = later<string>();
    let signal: AbortSignal | undefined;
    const { wrapper, resource } = pageOver((s) => ((signal = s), answer.promise));
    const loaded = resource().load('x');
    wrapper.unmount();
    answer.resolve('too late');
    expect(await loaded).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(resource().data.value).toBe('—');
  });
});
