import type { StatementItem } from '@canteen/server/api';

export interface StatementTableProps {
  items: StatementItem[];
  loading?: boolean;
}
