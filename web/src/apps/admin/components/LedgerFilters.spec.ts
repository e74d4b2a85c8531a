import { afterEach, describe, expect, it } from 'vitest';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import LedgerFilters from './LedgerFilters.vue';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  document.body.innerHTML = '';
});

function mountFilters(props: Record<string, unknown> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const wrapper = mountWithApp(LedgerFilters, {
    props: { kinds: [], days: null, testid: 'journal', ...props },
    locale,
  });
  unmount = () => wrapper.unmount();
  return wrapper;
}

/** The options of the kind list, as Element Plus shows them in its dropdown on <body>. */
async function openKinds(wrapper: ReturnType<typeof mountFilters>): Promise<HTMLElement[]> {
  await wrapper.find('[data-testid="journal-kinds"] .el-select__wrapper').trigger('click');
  await settle();
  return [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')];
}

describe('LedgerFilters', () => {
  it.each([
    { bar: 'the journal’s', person: true, controls: ['journal-kinds', 'journal-days', 'journal-person'] },
    { bar: 'a statement’s', person: false, controls: ['journal-kinds', 'journal-days'] },
  ])('shows $bar controls', async ({ person, controls }) => {
    const wrapper = mountFilters({ person });
    await settle();
    const shown = wrapper.findAll('[data-testid]').map((el) => el.attributes('data-testid'));
    expect(shown.filter((id) => id?.startsWith('journal-'))).toEqual(controls);
  });

  it.each([
    { locale: 'zh-CN', first: '消费', last: '冲正', placeholder: '全部类型' },
    { locale: 'en', first: 'Purchase', last: 'Reversal', placeholder: 'All kinds' },
  ] as const)('offers every entry kind in words ($locale)', async ({ locale, first, last, placeholder }) => {
    const wrapper = mountFilters({}, locale);
    await settle();
    expect(wrapper.find('[data-testid="journal-kinds"]').text()).toContain(placeholder);
    const options = await openKinds(wrapper);
    expect(options).toHaveLength(9);
    expect(options[0]?.textContent?.trim()).toBe(first);
    expect(options.at(-1)?.textContent?.trim()).toBe(last);
  });

  it.each([
    { chosen: [], pick: 1, kinds: ['top_up'] },
    { chosen: ['top_up'], pick: 2, kinds: ['top_up', 'subsidy_grant'] },
    { chosen: ['top_up'], pick: 1, kinds: [] },
  ])('with $chosen chosen, picking option $pick asks for $kinds', async ({ chosen, pick, kinds }) => {
    const wrapper = mountFilters({ kinds: chosen });
    const options = await openKinds(wrapper);
    options[pick]?.click();
    await settle();
    expect(wrapper.emitted('update:kinds')?.at(-1)).toEqual([kinds]);
  });

  it('clears the days when the range is cleared', async () => {
    const wrapper = mountFilters({ days: ['2026-03-01', '2026-03-31'] });
    await settle();
    const inputs = wrapper.findAll<HTMLInputElement>('[data-testid="journal-days"] input');
    expect(inputs.map((i) => i.element.value)).toEqual(['2026-03-01', '2026-03-31']);
    await wrapper.find('[data-testid="journal-days"]').trigger('mouseenter');
    await wrapper.find('.el-range__close-icon').trigger('click');
    await settle();
    expect(wrapper.emitted('update:days')?.at(-1)).toEqual([null]);
  });
});
