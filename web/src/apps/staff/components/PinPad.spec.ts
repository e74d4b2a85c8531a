import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import PinPad from './PinPad.vue';
import type { PinPadProps } from './PinPad.ts';

async function press(wrapper: ReturnType<typeof mountWithApp>, key: string): Promise<void> {
  const button = wrapper.findAll('.van-key').find((k) => k.text() === key);
  if (!button) throw new Error(`no key ${key}`);
  const touch = { touches: [{ clientX: 0, clientY: 0 }] };
  await button.trigger('touchstart', touch);
  await button.trigger('touchend', touch);
}

let wrapper: ReturnType<typeof mountWithApp> | undefined;
afterEach(() => wrapper?.unmount());

describe('PinPad', () => {
  it.each<{ state: string; props: PinPadProps; shows: string; hides?: string; spinner: boolean }>([
    { state: 'a hint', props: { title: '请输入支付密码', info: '6 位数字' }, shows: '6 位数字', spinner: false },
    {
      state: 'the last refusal instead of the hint',
      props: { title: '请输入支付密码', info: '6 位数字', error: '支付密码错误' },
      shows: '支付密码错误',
      hides: '6 位数字',
      spinner: false,
    },
    { state: 'busy', props: { title: '请输入支付密码', busy: true }, shows: '请输入支付密码', spinner: true },
  ])('shows $state', async ({ props, shows, hides, spinner }) => {
    wrapper = mountWithApp(PinPad, { props });
    await flushPromises();
    expect(wrapper.text()).toContain(props.title);
    expect(wrapper.text()).toContain(shows);
    if (hides) expect(wrapper.text()).not.toContain(hides);
    expect(wrapper.find('.busy').exists()).toBe(spinner);
  });

  it.each([
    { typed: '12345', complete: undefined, dots: 5 },
    { typed: '123456', complete: '123456', dots: 6 },
    { typed: '1234567', complete: '123456', dots: 6 },
  ])('typing $typed fills $dots boxes and completes with $complete', async ({ typed, complete, dots }) => {
    wrapper = mountWithApp(PinPad, { props: { title: '支付密码', modelValue: '' } });
    for (const digit of typed) {
      await press(wrapper, digit);
      const emitted = wrapper.emitted('update:modelValue');
      const value = emitted?.at(-1)?.[0];
      if (typeof value === 'string') await wrapper.setProps({ modelValue: value });
    }
    const shown = wrapper
      .findAll<HTMLElement>('.van-password-input__item i')
      .filter((dot) => dot.element.style.visibility === 'visible');
    expect(shown).toHaveLength(dots);
    expect(wrapper.emitted('complete')?.map(([pin]) => pin)).toEqual(complete ? [complete] : undefined);
  });
});
