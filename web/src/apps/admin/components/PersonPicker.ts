import type { PersonSummary } from '@canteen/server/api';

export interface PersonPickerProps {
  placeholder?: string;
  testid?: string;
  /** Only people who still work here (a top-up for someone who left is refused anyway). */
  activeOnly?: boolean;
}

export interface PersonPickerEmits {
  (e: 'picked', person: PersonSummary | null): void;
}
