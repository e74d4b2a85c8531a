import { describe, expect, it } from 'vitest';
import { peopleFiltersFromQuery, peopleQueryFromFilters } from './peopleQuery.ts';

describe('people filters in the address', () => {
  it('lists active people of everywhere when the address says nothing', () => {
    expect(peopleFiltersFromQuery({})).toEqual({
      filters: { q: '', campusId: null, departmentId: null, kind: null, status: 'active', role: null },
      page: 1,
    });
    expect(peopleQueryFromFilters(peopleFiltersFromQuery({}).filters, 1)).toEqual({});
  });

  it('round-trips every filter and the page', () => {
    const query = {
      q: '王',
      campus: '2',
      department: '12',
      kind: 'contractor',
      status: 'all',
      role: 'cashier',
      page: '3',
    };
    const { filters, page } = peopleFiltersFromQuery(query);
    expect(filters).toEqual({
      q: '王',
      campusId: 2,
      departmentId: 12,
      kind: 'contractor',
      status: null,
      role: 'cashier',
    });
    expect(peopleQueryFromFilters(filters, page)).toEqual(query);
  });

  it('ignores what it does not understand instead of sending it to the server', () => {
    const { filters, page } = peopleFiltersFromQuery({
      campus: 'x',
      department: '-1',
      kind: 'alien',
      role: 'king',
      page: '0',
    });
    expect(filters).toMatchObject({ campusId: null, departmentId: null, kind: null, role: null });
    expect(page).toBe(1);
  });
});
