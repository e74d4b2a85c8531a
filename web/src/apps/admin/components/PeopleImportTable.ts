import type { PeopleImportRow } from '@canteen/server/api';

export interface PeopleImportTableProps {
  rows: PeopleImportRow[];
}
