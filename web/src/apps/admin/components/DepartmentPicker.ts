import type { Department } from '@canteen/server/api';

export interface DepartmentPickerProps {
  departments: readonly Department[];
  /** Departments that cannot be chosen (a department and its own subtree, when moving it). */
  disabledIds?: ReadonlySet<number>;
  placeholder?: string;
  clearable?: boolean;
  testid?: string;
}
