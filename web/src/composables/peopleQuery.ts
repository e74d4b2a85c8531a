import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { PERSON_KINDS, PERSON_STATUSES, ROLES } from './orgVocabulary.ts';
import type { PeopleFilters } from './usePeopleSearch.ts';

/**
 * The people list's filters live in the address (/admin/people?department=12&status=left), so a
 * filtered list can be bookmarked, shared, or opened from another page (a department's head count).
 * Status is "active" unless the address says otherwise; "all" clears it.
 */
type QueryValue = LocationQuery[string] | undefined;

const text = (value: QueryValue): string => (typeof value === 'string' ? value : '');
const id = (value: QueryValue): number | null => {
  const n = Number(text(value));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};
const oneOf = <T extends string>(list: readonly T[], value: QueryValue): T | null =>
  (list as readonly string[]).includes(text(value)) ? (text(value) as T) : null;

export function peopleFiltersFromQuery(query: LocationQuery): { filters: PeopleFilters; page: number } {
  return {
    filters: {
      q: text(query['q']),
      campusId: id(query['campus']),
      departmentId: id(query['department']),
      kind: oneOf(PERSON_KINDS, query['kind']),
      status: text(query['status']) === 'all' ? null : (oneOf(PERSON_STATUSES, query['status']) ?? 'active'),
      role: oneOf(ROLES, query['role']),
    },
    page: id(query['page']) ?? 1,
  };
}

export function peopleQueryFromFilters(filters: PeopleFilters, page: number): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (filters.q.trim()) query['q'] = filters.q.trim();
  if (filters.campusId !== null) query['campus'] = String(filters.campusId);
  if (filters.departmentId !== null) query['department'] = String(filters.departmentId);
  if (filters.kind) query['kind'] = filters.kind;
  if (filters.status !== 'active') query['status'] = filters.status ?? 'all';
  if (filters.role) query['role'] = filters.role;
  if (page > 1) query['page'] = String(page);
  return query;
}
