import type { SubsidyFileWarning, SubsidyLine } from '@canteen/server/api';

export interface SubsidyLinesTableProps {
  lines: SubsidyLine[];
  /** About the file as a whole (a totals row that does not add up…), shown above the lines. */
  warnings?: SubsidyFileWarning[];
}
