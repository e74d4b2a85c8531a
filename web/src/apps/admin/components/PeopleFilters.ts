import type { Campus, Department } from '@canteen/server/api';

export interface PeopleFiltersProps {
  campuses: readonly Campus[];
  /** Departments of the chosen campus (all campuses when none is chosen). */
  departments: readonly Department[];
}
