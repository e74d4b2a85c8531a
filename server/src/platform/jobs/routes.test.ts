// The administrators' view of the scheduled jobs (GET /api/admin/jobs).
import { expect, it } from 'vitest';
import { signIn } from '../../../test/factories.ts';
import { describeApp } from '../../../test/harness.ts';
import { ROLES, rolesWith } from '../auth/permissions.ts';
import { daily, Scheduler } from '../scheduler.ts';

describeApp('scheduled jobs page', (get) => {
  const list = (cookie?: string) => get().app.inject({ url: '/api/admin/jobs', headers: cookie ? { cookie } : {} });

  it('is for administrators only', async () => {
    expect(rolesWith('jobs.read')).toEqual(['admin']);
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      expect((await list(session.cookie)).statusCode, role).toBe(role === 'admin' ? 200 : 403);
    }
    expect((await list()).statusCode).toBe(401);
  });

  it('lists every job with when it is next due, before any has run', async () => {
    const admin = await signIn(get(), ['admin']);
    const { jobs } = (await list(admin.cookie)).json();
    expect(jobs.map((j: { name: string }) => j.name).sort()).toEqual([
      'idempotency.purge',
      'ledger.expire-subsidies',
      'ledger.verify',
      'rate-limits.purge',
      'sessions.purge',
    ]);
    // The clock stands at 09:30 on 2 March in Shanghai.
    expect(jobs.find((j: { name: string }) => j.name === 'ledger.expire-subsidies')).toEqual({
      name: 'ledger.expire-subsidies',
      cadence: { every: 'month', at: '00:05' },
      catchUp: 'every',
      lastRun: null,
      nextDueAt: '2026-03-31T16:05:00.000Z',
    });
  });

  it('shows a failed run: its error, attempts and when it is retried', async () => {
    const t = get();
    const failing = new Scheduler(
      t.database.db,
      t.clock,
      [
        {
          name: 'ledger.verify',
          schedule: daily('02:00', t.config.timeZone),
          catchUp: 'latest',
          run: () => Promise.reject(new Error('the database went away')),
        },
      ],
      { instanceId: 'app-1' },
    );
    await failing.tick();
    const admin = await signIn(t, ['admin']);
    const verify = (await list(admin.cookie)).json().jobs.find((j: { name: string }) => j.name === 'ledger.verify');
    expect(verify).toMatchObject({
      cadence: { every: 'day', at: '02:00' },
      catchUp: 'latest',
      lastRun: {
        slot: '2026-03-02',
        status: 'failed',
        attempts: 1,
        claimedBy: 'app-1',
        outcome: 'failed: the database went away',
        lastError: 'failed: the database went away',
        nextAttemptAt: '2026-03-02T01:31:00.000Z',
      },
      nextDueAt: '2026-03-02T01:31:00.000Z',
    });
  });
});
