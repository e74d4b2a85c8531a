// The money fields of the console (Element Plus) and of the phone (Vant) take the same typing the same
// way: one table of states, run against both.
import { afterEach, describe, expect, it } from 'vitest';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import MoneyField from '../../staff/components/MoneyField.vue';
import MoneyInput from './MoneyInput.vue';

const FIELDS = [
  { name: 'MoneyInput (console)', component: MoneyInput, error: '.el-form-item__error' },
  { name: 'MoneyField (phone)', component: MoneyField, error: '.van-field__error-message' },
] as const;

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function mountField(component: (typeof FIELDS)[number]['component'], props: Record<string, unknown> = {}) {
  const wrapper = mountWithApp(component as typeof MoneyInput, {
    props: { label: '金额', modelValue: null, testid: 'amount', ...props },
  });
  unmount = () => wrapper.unmount();
  return wrapper;
}

describe.each(FIELDS)('$name', ({ component, error }) => {
  it.each([
    { typed: '50.5', limits: {}, fen: 5050, says: '' },
    { typed: '¥1,200', limits: {}, fen: 120000, says: '' },
    { typed: '12.345', limits: {}, fen: null, says: '请输入金额（元），最多两位小数' },
    { typed: '0', limits: {}, fen: null, says: '请输入大于 0 的金额' },
    { typed: '0', limits: { minFen: 0 }, fen: 0, says: '' },
    { typed: '0.5', limits: { minFen: 100 }, fen: null, says: '至少 ¥1.00' },
    { typed: '600', limits: { maxFen: 50000 }, fen: null, says: '最多 ¥500.00' },
    { typed: '600', limits: { maxFen: 50000, overText: '超过可提现余额' }, fen: null, says: '超过可提现余额' },
  ])('takes "$typed" with $limits as $fen fen and says "$says"', async ({ typed, limits, fen, says }) => {
    const wrapper = mountField(component, limits);
    await wrapper.find('input').setValue(typed);
    await settle();
    // Nothing is emitted when the amount stays unacceptable: the page's v-model is null already.
    expect(wrapper.emitted('update:modelValue')?.at(-1)?.[0] ?? null).toBe(fen);
    expect(wrapper.find(error).exists() ? wrapper.find(error).text() : '').toBe(says);
  });

  it('says nothing while the field is empty', async () => {
    const wrapper = mountField(component);
    await wrapper.find('input').setValue('5');
    await wrapper.find('input').setValue('');
    await settle();
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([null]);
    expect(wrapper.find(error).exists()).toBe(false);
  });

  it.each([
    { set: 50050, shows: '500.50' },
    { set: null, shows: '' },
  ])('shows $shows when the page sets $set', async ({ set, shows }) => {
    const wrapper = mountField(component, { modelValue: 2000 });
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('20.00');
    await wrapper.setProps({ modelValue: set });
    await settle();
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe(shows);
  });
});

describe('MoneyInput in a console form', () => {
  it.each([
    { key: 'Enter', composing: false, submits: true },
    { key: 'Enter while choosing a character', composing: true, submits: false },
  ])('$key submits: $submits', async ({ composing, submits }) => {
    const wrapper = mountField(MoneyInput);
    await wrapper.find('input').trigger('keydown', { key: 'Enter', isComposing: composing });
    expect(wrapper.emitted('enter') !== undefined).toBe(submits);
  });

  it("shows the server's word on the field after a refused save", async () => {
    const wrapper = mountField(MoneyInput, { error: '金额超过单笔上限' });
    await settle();
    expect(wrapper.find('.el-form-item__error').text()).toBe('金额超过单笔上限');
  });
});
