import { computed, ref, shallowRef, type Ref } from 'vue';
import { useErrorText } from './useErrorText.ts';

export interface ImportProblem {
  code: string;
  /** The server's English words, shown only for a code the console has no translation of yet. */
  message?: string;
}

/** One row of an uploaded file as the server checked it. Every import is about people, by number and name. */
export interface ImportRow {
  rowNumber: number;
  employeeNo?: string;
  name?: string;
  problems: ImportProblem[];
}

/**
 * A finding about the whole file rather than one row (a totals row that does not add up, a header
 * found below a title row): a stable code and whatever details the server gives with it.
 */
export interface ImportNotice {
  code: string;
  [detail: string]: unknown;
}

/** What the wizard needs to know of a checked file, whatever the file is about. */
export interface ImportPreview<Row extends ImportRow = ImportRow> {
  fileName: string;
  rows: Row[];
  /** Rows the confirm will import. */
  readyCount: number;
  problemRowCount: number;
  /** How many rows carry each problem code. */
  problemCounts: Record<string, number>;
  warnings: ImportNotice[];
}

/** The server's side of one kind of import; the wizard does the rest. */
export interface ImportSource<Checked, Done, Row extends ImportRow> {
  /** Reads and checks a file; nothing is imported yet. */
  check(file: File): Promise<Checked>;
  /** Imports what was checked; with problem rows, only when told to skip them. */
  confirm(checked: Checked, skipProblemRows: boolean): Promise<Done>;
  preview(checked: Checked): ImportPreview<Row>;
  /** A failure's words where the shared error text would say the wrong thing. */
  errorText?(failure: unknown): string | null;
  /** True when a refused confirm means the data changed since the preview: the file is checked again. */
  recheckAfter?(failure: unknown): boolean;
}

export type ImportStep = 'upload' | 'preview' | 'confirm';

/**
 * An upload wizard: upload a file → every row with its problems (filter to problem rows, totals, file
 * warnings) → confirm, skipping problem rows only when asked → the result. People and subsidy imports
 * are two sources of the same wizard.
 */
export function useImportWizard<Checked, Done, Row extends ImportRow>(source: ImportSource<Checked, Done, Row>) {
  const { errorText } = useErrorText();
  const step = ref<ImportStep>('upload');
  const checked = shallowRef<Checked | null>(null);
  const done = shallowRef<Done | null>(null);
  const checking = ref(false);
  const importing = ref(false);
  const error = ref('');
  const onlyProblems = ref(false);
  const skipProblems = ref(false);
  let file: File | null = null;

  const preview = computed(() => (checked.value === null ? null : source.preview(checked.value)));
  const problemRows = computed(() => preview.value?.rows.filter((r) => r.problems.length > 0) ?? []);
  const shownRows = computed(() => (onlyProblems.value ? problemRows.value : (preview.value?.rows ?? [])));
  const canConfirm = computed(
    () =>
      !!preview.value &&
      preview.value.readyCount > 0 &&
      (preview.value.problemRowCount === 0 || skipProblems.value) &&
      !importing.value,
  );
  const textOf = (failure: unknown) => source.errorText?.(failure) ?? errorText(failure);

  /** Shows what `read` brings back (a checked file, or a draft opened again) at the preview step. */
  async function open(read: () => Promise<Checked>): Promise<boolean> {
    if (checking.value) return false;
    checking.value = true;
    error.value = '';
    try {
      checked.value = await read();
      done.value = null;
      // With problems, the table opens on them: they are what needs looking at.
      onlyProblems.value = (preview.value?.problemRowCount ?? 0) > 0;
      skipProblems.value = false;
      step.value = 'preview';
      return true;
    } catch (failure) {
      error.value = textOf(failure);
      return false;
    } finally {
      checking.value = false;
    }
  }

  async function send(picked: File): Promise<boolean> {
    if (checking.value) return false;
    file = picked;
    return open(() => source.check(picked));
  }

  function next(): void {
    if (preview.value && preview.value.readyCount > 0) step.value = 'confirm';
  }

  function back(): void {
    error.value = '';
    step.value = 'preview';
  }

  async function confirm(): Promise<Done | null> {
    const current = checked.value;
    if (current === null || !canConfirm.value) return null;
    importing.value = true;
    error.value = '';
    try {
      done.value = await source.confirm(current, (preview.value?.problemRowCount ?? 0) > 0 && skipProblems.value);
      return done.value;
    } catch (failure) {
      error.value = textOf(failure);
      if (file && source.recheckAfter?.(failure)) {
        // Show the rows as they are now; the refusal stays on screen to say why.
        checked.value = await source.check(file).catch(() => current);
      }
      return null;
    } finally {
      importing.value = false;
    }
  }

  function restart(): void {
    file = null;
    checked.value = null;
    done.value = null;
    error.value = '';
    step.value = 'upload';
  }

  return {
    step,
    checked,
    preview,
    done,
    checking,
    importing,
    error,
    onlyProblems,
    skipProblems,
    problemRows,
    shownRows,
    canConfirm,
    open,
    send,
    next,
    back,
    confirm,
    restart,
  };
}

/** The wizard as its component sees it, whatever the file is about. */
export interface ImportWizard {
  step: Ref<ImportStep>;
  preview: Readonly<Ref<ImportPreview | null>>;
  done: Readonly<Ref<unknown>>;
  checking: Readonly<Ref<boolean>>;
  importing: Readonly<Ref<boolean>>;
  error: Readonly<Ref<string>>;
  onlyProblems: Ref<boolean>;
  skipProblems: Ref<boolean>;
  problemRows: Readonly<Ref<ImportRow[]>>;
  shownRows: Readonly<Ref<ImportRow[]>>;
  canConfirm: Readonly<Ref<boolean>>;
  send(file: File): Promise<boolean>;
  next(): void;
  back(): void;
  confirm(): Promise<unknown>;
  restart(): void;
}
