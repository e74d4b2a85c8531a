import type { ImportProblem } from '../../../composables/useImportWizard.ts';

export interface ImportRowProblemsProps {
  problems: ImportProblem[];
  /** Where these problems have words: '<section>.problemCodes' (errors.<CODE> is tried next). */
  problemKeys: string;
  /** The verdict shown when the row has no problem (正常, 新建, 已存在). */
  okText: string;
  okType?: 'success' | 'info';
}
