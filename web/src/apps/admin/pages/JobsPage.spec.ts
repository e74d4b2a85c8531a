import type { JobList } from '@canteen/server/api';
import { afterEach, expect, it, vi } from 'vitest';
import { mountWithApp } from '../../../testing/mountWithApp.ts';
import { settle } from '../../../testing/settle.ts';
import JobsPage from './JobsPage.vue';

const JOBS: JobList = {
  jobs: [
    {
      name: 'ledger.expire-subsidies',
      cadence: { every: 'month', at: '00:05' },
      catchUp: 'every',
      lastRun: {
        slot: '2026-04-01',
        status: 'failed',
        attempts: 3,
        claimedBy: 'app-1/812/1a2b3c4d',
        startedAt: '2026-03-31T16:05:00Z',
        attemptStartedAt: '2026-03-31T16:08:00Z',
        finishedAt: '2026-03-31T16:08:01Z',
        outcome: 'failed: connection terminated',
        lastError: 'failed: connection terminated',
        leaseUntil: null,
        nextAttemptAt: '2026-03-31T16:12:01Z',
      },
      nextDueAt: '2026-03-31T16:12:01Z',
    },
    {
      name: 'reports.nightly',
      cadence: { every: 'hour', at: null },
      catchUp: 'latest',
      lastRun: null,
      nextDueAt: '2026-03-31T17:00:00Z',
    },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

it.each([
  ['zh-CN', '月底补贴清零', '每月 1 日 00:05', '失败', '尚未运行'],
  ['en', 'Month-end subsidy expiry', 'On the 1st of each month at 00:05', 'Failed', 'Not run yet'],
] as const)(
  'shows each job, a failure with its attempts and retry, in %s',
  async (locale, name, cadence, failed, never) => {
    vi.stubGlobal('fetch', async (url: string) => {
      expect(new URL(url, 'http://canteen.test').pathname).toBe('/api/admin/jobs');
      return new Response(JSON.stringify(JOBS), { headers: { 'content-type': 'application/json' } });
    });
    const wrapper = mountWithApp(JobsPage, { locale });
    await settle();
    const rows = wrapper.findAll('[data-testid="jobs"] tbody tr');
    expect(rows).toHaveLength(2);
    const failing = rows[0]!.text();
    expect(failing).toContain(name);
    expect(failing).toContain(cadence);
    expect(wrapper.get('[data-testid="job-status-ledger.expire-subsidies"]').text()).toBe(failed);
    expect(wrapper.get('[data-testid="job-outcome-ledger.expire-subsidies"]').text()).toBe(
      'failed: connection terminated',
    );
    expect(failing).toContain('3');
    // A job the console has no words for yet shows its code.
    expect(rows[1]!.text()).toContain('reports.nightly');
    expect(wrapper.get('[data-testid="job-outcome-reports.nightly"]').text()).toBe(never);
    wrapper.unmount();
  },
);
