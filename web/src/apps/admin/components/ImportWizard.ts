import type { ImportWizard } from '../../../composables/useImportWizard.ts';

/** The words of one kind of import; the steps, figures and problem handling are the wizard's own. */
export interface ImportWizardTexts {
  /** In the drop zone: what the file holds. */
  uploadHint: string;
  /** The third step's title, the confirm button and the title of the question before it posts. */
  confirm: string;
  /** Asked once more before the confirm posts (an import or a grant cannot be taken back). */
  confirmQuestion: string;
  /** The figure of rows the confirm will import: 将新建 / 可发放. */
  ready: string;
  /** Above the confirm button: what will happen. */
  summary: string;
  /** Beside the progress bar while the confirm runs. */
  working: string;
  /** The box to tick to leave the problem rows out. */
  skipProblems: string;
  /** In the preview when no row can be imported. */
  nothingReady?: string;
}

/** A figure shown after the file, rows, ready and problem figures (a month, a total). */
export interface ImportFigure {
  label: string;
  value: string | number;
  tone?: 'good' | 'bad';
  testid?: string;
}

export interface ImportWizardProps {
  /** From useImportWizard, with one kind of import's source. */
  wizard: ImportWizard;
  texts: ImportWizardTexts;
  figures?: ImportFigure[];
  /** Where this file's row problems have words: '<section>.problemCodes' (errors.<CODE> is tried next). */
  problemKeys: string;
}

export interface ImportWizardEmits {
  /** A file was checked: the preview is on screen. */
  (e: 'checked'): void;
  /** The confirm went through: the wizard shows the page's result (slot `done`, from wizard.done). */
  (e: 'imported', done: unknown): void;
}
