import type { SubsidyLine } from '@canteen/server/api';

export interface SubsidyLinesTableProps {
  lines: SubsidyLine[];
}
