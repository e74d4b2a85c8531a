import type { Department } from '@canteen/server/api';

export interface DepartmentDialogProps {
  campusId: number;
  /** Every department of the campus, for choosing the parent. */
  departments: readonly Department[];
  /** The department to edit; null creates one. */
  department: Department | null;
  /** For a new department: where it goes in the tree. */
  parentId?: number | null;
}

export interface DepartmentDialogEmits {
  (e: 'saved', department: Department): void;
}
