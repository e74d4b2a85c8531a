import type { Campus, Department } from '@canteen/server/api';

export interface PeopleFiltersProps {
  campuses: readonly Campus[];
  /** Departments of the chosen campus (all campuses when none is chosen). */
  departments: readonly Department[];
}

export interface PeopleFiltersEmits {
  /** Enter in the search box: search now, without waiting for the typing pause. */
  (e: 'search'): void;
  (e: 'reset'): void;
}
