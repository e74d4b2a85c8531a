import type { JournalEntry } from '@canteen/server/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import ReversalDialog from './ReversalDialog.vue';

const ENTRY: JournalEntry = {
  id: 3124,
  kind: 'top_up',
  memo: '',
  reference: null,
  details: { counter: 'C3', channel: 'cash' },
  reversesEntryId: null,
  reversedByEntryId: null,
  allowsArrears: false,
  createdAt: '2026-12-02T05:15:00Z',
  createdBy: 3,
  postings: [
    { accountId: 41, accountKind: 'own_purse', code: 'P8-OWN', personId: 8, amountFen: 1200 },
    { accountId: 2, accountKind: 'counter_cash', code: 'C3', personId: null, amountFen: -1200 },
  ],
} as JournalEntry;

/** The server at the network's edge: the person's name, and the reversal (answered, or refused). */
function server(reversal: { status: number; body: object }) {
  const posted: { path: string; body: unknown; key: string | null }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const path = new URL(url, 'http://canteen.test').pathname;
    const json = (status: number, body: object) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
      });
    if (path === '/api/people/8') return json(200, { id: 8, name: '王晓燕', employeeNo: '10008' });
    if (path === '/api/ledger/entries/3124/reversal') {
      const headers = new Headers(init.headers);
      posted.push({ path, body: JSON.parse(String(init.body)), key: headers.get('idempotency-key') });
      return json(reversal.status, reversal.body);
    }
    return json(404, { code: 'NOT_FOUND' });
  });
  return { posted };
}

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

async function openDialog() {
  const wrapper = mountWithApp(ReversalDialog, { props: { modelValue: false, entry: ENTRY } });
  unmount = () => wrapper.unmount();
  await wrapper.setProps({ modelValue: true });
  await settle();
  const dialog = document.querySelector<HTMLElement>('[data-testid="reversal-dialog"]');
  if (!dialog) throw new Error('the dialog is not on screen');
  return { wrapper, dialog };
}

async function typeReason(dialog: HTMLElement, reason: string): Promise<void> {
  const input = dialog.querySelector<HTMLInputElement>('input[data-testid="reversal-reason"]');
  if (!input) throw new Error('no reason field');
  input.value = reason;
  input.dispatchEvent(new Event('input'));
  await settle();
}

async function submit(dialog: HTMLElement): Promise<void> {
  dialog.querySelector<HTMLButtonElement>('[data-testid="form-submit"]')?.click();
  await settle();
}

describe('ReversalDialog', () => {
  it('shows the entry, its postings, whose money they are and what the reversal will post', async () => {
    server({ status: 200, body: {} });
    const { dialog } = await openDialog();
    expect(dialog.querySelector('[data-testid="reversal-entry"]')?.textContent).toContain('#3124');
    expect(dialog.querySelector('[data-testid="reversal-amount"]')?.textContent).toBe('¥12.00');
    const rows = [...dialog.querySelectorAll('[data-testid="reversal-postings"] tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(rows).toEqual([
      ['个人充值 P8-OWN', '王晓燕（10008）', '+¥12.00', '-¥12.00'],
      ['收银台现金 C3', '—', '-¥12.00', '+¥12.00'],
    ]);
  });

  it.each([
    { reason: '', says: '请填写冲正原因（至少 2 个字）' },
    { reason: '  错 ', says: '请填写冲正原因（至少 2 个字）' },
  ])('posts nothing with the reason "$reason" and says why', async ({ reason, says }) => {
    const { posted } = server({ status: 200, body: {} });
    const { wrapper, dialog } = await openDialog();
    await typeReason(dialog, reason);
    await submit(dialog);
    expect(dialog.querySelector('.el-form-item__error')?.textContent?.trim()).toBe(says);
    expect(posted).toEqual([]);
    expect(wrapper.emitted('reversed')).toBeUndefined();
  });

  it.each([
    {
      answer: 'the reversal',
      reversal: { status: 200, body: { entryId: 3200, reversesEntryId: 3124, createdAt: '', replayed: false } },
      emits: true,
      says: null,
    },
    {
      answer: 'a refusal',
      reversal: { status: 409, body: { code: 'ENTRY_ALREADY_REVERSED', detail: 'already reversed' } },
      emits: false,
      says: '这笔流水已经冲正过了',
    },
  ])('posts the reason with an Idempotency-Key and shows $answer', async ({ reversal, emits, says }) => {
    const { posted } = server(reversal);
    const { wrapper, dialog } = await openDialog();
    await typeReason(dialog, ' 收银台多收，退回现金 ');
    await submit(dialog);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toEqual({ reason: '收银台多收，退回现金' });
    expect(posted[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(wrapper.emitted('reversed')?.length ?? 0).toBe(emits ? 1 : 0);
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(emits ? [false] : undefined);
    expect(dialog.querySelector('[data-testid="form-error"]')?.textContent?.trim() ?? null).toBe(says);
  });
});
