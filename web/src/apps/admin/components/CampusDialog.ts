import type { Campus } from '@canteen/server/api';

export interface CampusDialogProps {
  /** The campus to edit; null creates a new one. */
  campus: Campus | null;
}

export interface CampusDialogEmits {
  (e: 'saved', campus: Campus): void;
}
