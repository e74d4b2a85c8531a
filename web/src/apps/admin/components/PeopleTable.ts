import type { PersonSummary } from '@canteen/server/api';

export interface PeopleTableProps {
  people: readonly PersonSummary[];
  loading?: boolean;
}

export interface PeopleTableEmits {
  (e: 'open', person: PersonSummary): void;
}
