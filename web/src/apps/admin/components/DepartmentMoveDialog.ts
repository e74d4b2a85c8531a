import type { Department } from '@canteen/server/api';

export interface DepartmentMoveDialogProps {
  department: Department | null;
  departments: readonly Department[];
}

export interface DepartmentMoveDialogEmits {
  (e: 'moved', department: Department): void;
}
