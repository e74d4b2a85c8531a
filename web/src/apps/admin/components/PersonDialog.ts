import type { Campus, PersonDetail } from '@canteen/server/api';

export interface PersonDialogProps {
  /** The person to edit; null creates one. */
  person: PersonDetail | null;
  campuses: readonly Campus[];
  /** For a new person: the campus and department the list was filtered to. */
  campusId?: number | null;
  departmentId?: number | null;
}

export interface PersonDialogEmits {
  (e: 'saved', person: PersonDetail): void;
}
