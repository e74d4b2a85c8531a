import { defineComponent, h } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import {
  useImportWizard,
  type ImportNotice,
  type ImportPreview,
  type ImportRow,
} from '../../../composables/useImportWizard.ts';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import ImportWizard from './ImportWizard.vue';
import type { ImportWizardTexts } from './ImportWizard.ts';

const TEXTS: ImportWizardTexts = {
  uploadHint: '选择补贴文件',
  confirm: '确认发放',
  confirmQuestion: '确认发放？',
  ready: '可发放',
  summary: '将向 2 人发放补贴',
  working: '正在发放…',
  skipProblems: '跳过有问题的行',
  nothingReady: '没有可以发放的行',
};

const row = (rowNumber: number, name: string, ...codes: string[]): ImportRow => ({
  rowNumber,
  employeeNo: `1000${rowNumber}`,
  name,
  problems: codes.map((code) => ({ code, message: `server words for ${code}` })),
});
const GOOD = [row(2, '王晓燕'), row(3, '林志远')];
const WITH_PROBLEM = [...GOOD, row(4, '张冠李戴', 'NAME_MISMATCH')];

function previewOf(rows: ImportRow[], warnings: ImportNotice[] = []): ImportPreview {
  const problemCounts: Record<string, number> = {};
  for (const r of rows) for (const p of r.problems) problemCounts[p.code] = (problemCounts[p.code] ?? 0) + 1;
  const problemRowCount = rows.filter((r) => r.problems.length).length;
  return {
    fileName: '2026年3月补贴.xlsx',
    rows,
    readyCount: rows.length - problemRowCount,
    problemRowCount,
    problemCounts,
    warnings,
  };
}

/** The server's side, as the wizard's source sees it: answers given by the test, and what was asked. */
function serverSide(check: () => Promise<ImportPreview>, confirm: () => Promise<string> = async () => 'granted') {
  const asked = { files: [] as string[], skips: [] as boolean[] };
  return {
    asked,
    source: {
      check: (file: File) => (asked.files.push(file.name), check()),
      confirm: (_preview: ImportPreview, skip: boolean) => (asked.skips.push(skip), confirm()),
      preview: (preview: ImportPreview) => preview,
    },
  };
}

function mountWizard(source: ReturnType<typeof serverSide>['source'], messages?: Record<string, unknown>) {
  const Page = defineComponent({
    emits: ['checked', 'imported'],
    setup(_props, { emit }) {
      const wizard = useImportWizard(source);
      return () =>
        h(
          ImportWizard,
          {
            wizard,
            texts: TEXTS,
            figures: [{ label: '可发放金额', value: '¥450.00', testid: 'import-total' }],
            problemKeys: 'subsidy.problemCodes',
            onChecked: () => emit('checked'),
            onImported: (done: unknown) => emit('imported', done),
          },
          {
            rows: () =>
              h(
                'ol',
                { 'data-testid': 'rows' },
                wizard.shownRows.value.map((r) => h('li', `${r.rowNumber} ${r.name}`)),
              ),
            done: () => h('p', { 'data-testid': 'done' }, `done: ${String(wizard.done.value)}`),
          },
        );
    },
  });
  const wrapper = mountWithApp(Page, { messages });
  unmount = () => wrapper.unmount();
  return wrapper;
}

async function upload(wrapper: ReturnType<typeof mountWizard>, name = '2026年3月补贴.xlsx'): Promise<void> {
  const input = wrapper.find<HTMLInputElement>('input[type=file]');
  Object.defineProperty(input.element, 'files', { value: [new File(['工号,姓名'], name)], configurable: true });
  await input.trigger('change');
  await settle();
}

const byTestId = (wrapper: ReturnType<typeof mountWizard>, id: string) => wrapper.find(`[data-testid="${id}"]`);
const later = () => {
  let resolve!: (preview: ImportPreview) => void;
  return { promise: new Promise<ImportPreview>((r) => (resolve = r)), resolve: (p: ImportPreview) => resolve(p) };
};

/** The primary button of the "are you sure" box that Element Plus puts on <body>. */
async function answerMessageBox(accept: boolean): Promise<void> {
  await settle();
  const selector = accept
    ? '.el-message-box__btns .el-button--primary'
    : '.el-message-box__btns .el-button:first-child';
  const button = document.querySelector<HTMLButtonElement>(selector);
  if (!button) throw new Error('no message box on screen');
  button.click();
  await settle();
}

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  document.body.innerHTML = '';
});

describe('ImportWizard', () => {
  it('starts at the upload step with what the file must hold', async () => {
    const wrapper = mountWizard(serverSide(async () => previewOf(GOOD)).source);
    await settle();
    expect(wrapper.text()).toContain('选择补贴文件');
    expect(wrapper.text()).toContain('最大 5 MB，最多 20,000 行');
    expect(byTestId(wrapper, 'import-stats').exists()).toBe(false);
  });

  it('shows progress while the file is checked, then its preview', async () => {
    const answer = later();
    const server = serverSide(() => answer.promise);
    const wrapper = mountWizard(server.source);
    await upload(wrapper);
    expect(byTestId(wrapper, 'import-checking').text()).toBe('正在上传并校验…');
    answer.resolve(previewOf(GOOD));
    await settle();
    expect(byTestId(wrapper, 'import-checking').exists()).toBe(false);
    expect(byTestId(wrapper, 'import-stats').exists()).toBe(true);
    expect(server.asked.files).toEqual(['2026年3月补贴.xlsx']);
    expect(wrapper.emitted('checked')).toHaveLength(1);
  });

  it("says why a file is refused, in the console's words, and stays at the upload", async () => {
    const wrapper = mountWizard(
      serverSide(() => Promise.reject(new ApiError(400, 'FILE_HEADER_MISSING', 'no header'))).source,
    );
    await upload(wrapper);
    expect(byTestId(wrapper, 'import-error').text()).toContain('找不到表头');
    expect(byTestId(wrapper, 'import-upload').exists()).toBe(true);
    expect(wrapper.emitted('checked')).toBeUndefined();
  });

  it.each([
    {
      file: 'good rows only',
      rows: GOOD,
      figures: { 'import-rows': '2', 'import-ready': '2', 'import-problems': '0', 'import-total': '¥450.00' },
      shown: ['2 王晓燕', '3 林志远'],
      counts: [],
      nextEnabled: true,
    },
    {
      file: 'a problem row',
      rows: WITH_PROBLEM,
      figures: { 'import-rows': '3', 'import-ready': '2', 'import-problems': '1' },
      shown: ['4 张冠李戴'],
      counts: ['姓名与工号不符 × 1'],
      nextEnabled: true,
    },
    {
      file: 'nothing to import',
      rows: [row(2, '无此人', 'EMPLOYEE_UNKNOWN')],
      figures: { 'import-ready': '0', 'import-problems': '1' },
      shown: ['2 无此人'],
      counts: ['工号不存在 × 1'],
      nextEnabled: false,
    },
  ])('previews $file: figures, problem counts, and the rows that need looking at', async (c) => {
    const wrapper = mountWizard(serverSide(async () => previewOf(c.rows)).source);
    await upload(wrapper);
    for (const [id, value] of Object.entries(c.figures)) expect(byTestId(wrapper, id).text()).toBe(value);
    expect(
      byTestId(wrapper, 'rows')
        .findAll('li')
        .map((li) => li.text()),
    ).toEqual(c.shown);
    expect(wrapper.findAll('[data-testid^="import-count-"]').map((tag) => tag.text())).toEqual(c.counts);
    expect(byTestId(wrapper, 'import-next').attributes('disabled') === undefined).toBe(c.nextEnabled);
    expect(byTestId(wrapper, 'import-nothing-ready').exists()).toBe(!c.nextEnabled);
  });

  it('shows every row when the filter to problem rows is turned off', async () => {
    const wrapper = mountWizard(serverSide(async () => previewOf(WITH_PROBLEM)).source);
    await upload(wrapper);
    await byTestId(wrapper, 'import-only-problems').trigger('click');
    await settle();
    expect(byTestId(wrapper, 'rows').findAll('li')).toHaveLength(3);
  });

  it.each([
    {
      notice: 'with words in errors.<CODE>, money as money',
      warning: { code: 'TOTALS_ROW_MISMATCH', rowNumber: 12, statedFen: 45000, sumFen: 44900 },
      shows: '第 12 行合计 ¥450.00，与上面各行之和 ¥449.00 不符',
    },
    {
      notice: 'with words in the file’s own problem codes',
      warning: { code: 'MONTH_DIFFERS_FROM_TITLE', month: '2026-02' },
      shows: '表格标题或工作表名写的是 2026-02，与本批次月份不同',
    },
    {
      notice: 'the console has no words for yet',
      warning: { code: 'HEADER_BELOW_TITLE', message: 'Header found on row 3' },
      shows: 'Header found on row 3',
    },
  ])('shows a file warning $notice', async ({ warning, shows }) => {
    const messages = {
      errors: { TOTALS_ROW_MISMATCH: '第 {rowNumber} 行合计 {statedFen}，与上面各行之和 {sumFen} 不符' },
    };
    const wrapper = mountWizard(serverSide(async () => previewOf(GOOD, [warning])).source, messages);
    await upload(wrapper);
    expect(byTestId(wrapper, 'import-warnings').find(`.warning-${warning.code}`).text()).toBe(shows);
  });

  it.each([
    { rows: GOOD, tick: false, canConfirm: true, skip: false },
    { rows: WITH_PROBLEM, tick: false, canConfirm: false, skip: null },
    { rows: WITH_PROBLEM, tick: true, canConfirm: true, skip: true },
  ])(
    'confirms $rows.length rows (skip box ticked: $tick) only when nothing unsolved remains',
    async ({ rows, tick, canConfirm, skip }) => {
      const server = serverSide(async () => previewOf(rows));
      const wrapper = mountWizard(server.source);
      await upload(wrapper);
      await byTestId(wrapper, 'import-next').trigger('click');
      await settle();
      expect(byTestId(wrapper, 'import-summary').text()).toBe('将向 2 人发放补贴');
      expect(byTestId(wrapper, 'import-skip-rows').exists()).toBe(rows.length > 2);
      if (tick) await byTestId(wrapper, 'import-skip').find('input').setValue(true);
      await settle();
      expect(byTestId(wrapper, 'import-confirm').attributes('disabled') === undefined).toBe(canConfirm);
      if (!canConfirm) return;
      await byTestId(wrapper, 'import-confirm').trigger('click');
      await answerMessageBox(true);
      expect(server.asked.skips).toEqual([skip]);
      expect(wrapper.emitted('imported')).toEqual([['granted']]);
      expect(byTestId(wrapper, 'done').text()).toBe('done: granted');
    },
  );

  it('posts nothing when the question before the confirm is answered no', async () => {
    const server = serverSide(async () => previewOf(GOOD));
    const wrapper = mountWizard(server.source);
    await upload(wrapper);
    await byTestId(wrapper, 'import-next').trigger('click');
    await byTestId(wrapper, 'import-confirm').trigger('click');
    await answerMessageBox(false);
    expect(server.asked.skips).toEqual([]);
    expect(wrapper.emitted('imported')).toBeUndefined();
  });

  it('shows progress while confirming, and a refusal on the confirm step', async () => {
    let refuse!: (failure: unknown) => void;
    const server = serverSide(
      async () => previewOf(GOOD),
      () => new Promise<string>((_resolve, reject) => (refuse = reject)),
    );
    const wrapper = mountWizard(server.source);
    await upload(wrapper);
    await byTestId(wrapper, 'import-next').trigger('click');
    await byTestId(wrapper, 'import-confirm').trigger('click');
    await answerMessageBox(true);
    expect(byTestId(wrapper, 'import-progress').text()).toBe('正在发放…');
    refuse(new ApiError(409, 'BATCH_NOT_DRAFT', 'already granted'));
    await settle();
    expect(byTestId(wrapper, 'import-progress').exists()).toBe(false);
    expect(byTestId(wrapper, 'import-error').exists()).toBe(true);
    expect(byTestId(wrapper, 'import-confirm').exists()).toBe(true);
    expect(wrapper.emitted('imported')).toBeUndefined();
  });
});
