import type { StatementItem } from '@canteen/server/api';

export interface MovementCellProps {
  item: StatementItem;
}

export interface MovementCellEmits {
  (e: 'open', item: StatementItem): void;
}
