import type { Campus, Department } from '@canteen/server/api';
import { reactive } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeopleFilters as Filters } from '../../../composables/usePeopleSearch.ts';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import PeopleFilters from './PeopleFilters.vue';

const campus = (id: number, name: string): Campus =>
  ({ id, code: `C${id}`, name, address: '', departmentCount: 0, peopleCount: 0 }) as Campus;
const department = (id: number, campusId: number, name: string): Department =>
  ({ id, campusId, parentId: null, code: `D${id}`, name, kind: 'clinical', building: '', floor: '' }) as Department;
const CAMPUSES = [campus(1, '本院'), campus(2, '东院')];
const DEPARTMENTS = [department(11, 1, '妇产科'), department(12, 1, '儿科')];

const filtersWith = (changes: Partial<Filters> = {}): Filters =>
  reactive<Filters>({
    q: '',
    campusId: null,
    departmentId: null,
    kind: null,
    status: 'active',
    role: null,
    ...changes,
  });

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  document.body.innerHTML = '';
});

function mountFilters(filters: Filters, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const wrapper = mountWithApp(PeopleFilters, {
    props: { modelValue: filters, campuses: CAMPUSES, departments: DEPARTMENTS },
    locale,
  });
  unmount = () => wrapper.unmount();
  return wrapper;
}

/** Opens one of the bar's selects and gives its options as Element Plus shows them on <body>. */
async function optionsOf(wrapper: ReturnType<typeof mountFilters>, testid: string): Promise<HTMLElement[]> {
  await wrapper.find(`[data-testid="${testid}"] .el-select__wrapper`).trigger('click');
  await settle();
  return [...document.querySelectorAll<HTMLElement>('.el-select-dropdown:not([style*="display: none"]) li')].filter(
    (li) => li.closest('.el-popper')?.getAttribute('aria-hidden') !== 'true',
  );
}

describe('PeopleFilters', () => {
  it.each([
    { locale: 'zh-CN', shows: ['在职', '人员类别', '角色', '重置'] },
    { locale: 'en', shows: ['Active', 'Kind', 'Roles', 'Reset'] },
  ] as const)('shows the chosen status and the other filters’ names ($locale)', async ({ locale, shows }) => {
    const wrapper = mountFilters(filtersWith(), locale);
    await settle();
    for (const text of shows) expect(wrapper.text()).toContain(text);
  });

  it.each([
    { select: 'filter-campus', options: ['本院', '东院'] },
    { select: 'filter-kind', options: ['职工', '患者家属', '外包人员', '访客'] },
    { select: 'filter-status', options: ['在职', '离职'] },
  ])('offers $options in $select', async ({ select, options }) => {
    const wrapper = mountFilters(filtersWith());
    const shown = await optionsOf(wrapper, select);
    expect(shown.map((o) => o.textContent?.trim())).toEqual(options);
  });

  it.each([
    { before: { campusId: 1, departmentId: 11 }, pick: '东院', after: { campusId: 2, departmentId: null } },
    { before: { campusId: null, departmentId: null }, pick: '本院', after: { campusId: 1, departmentId: null } },
  ])('choosing $pick as the campus leaves no department of another campus', async ({ before, pick, after }) => {
    const filters = filtersWith(before);
    const wrapper = mountFilters(filters);
    const options = await optionsOf(wrapper, 'filter-campus');
    options.find((o) => o.textContent?.trim() === pick)?.click();
    await settle();
    const changed = wrapper.emitted('update:modelValue')?.at(-1)?.[0] as Filters | undefined;
    expect({ campusId: (changed ?? filters).campusId, departmentId: (changed ?? filters).departmentId }).toEqual(after);
  });

  it.each([
    {
      action: 'Enter in the search box',
      event: 'search',
      act: (w: ReturnType<typeof mountFilters>) =>
        w.find('input[data-testid="people-search"]').trigger('keydown', { key: 'Enter' }),
    },
    {
      action: 'the reset button',
      event: 'reset',
      act: (w: ReturnType<typeof mountFilters>) => w.findAll('button').at(-1)?.trigger('click'),
    },
  ])('$action asks for $event', async ({ event, act }) => {
    const wrapper = mountFilters(filtersWith());
    await act(wrapper);
    expect(wrapper.emitted(event)).toHaveLength(1);
  });

  it('keeps what is typed in the search box in the filters', async () => {
    const filters = filtersWith();
    const wrapper = mountFilters(filters);
    await wrapper.find('input[data-testid="people-search"]').setValue('王晓燕');
    const changed = (wrapper.emitted('update:modelValue')?.at(-1)?.[0] as Filters | undefined) ?? filters;
    expect(changed.q).toBe('王晓燕');
  });
});
