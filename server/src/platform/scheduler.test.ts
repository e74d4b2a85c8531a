import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { daily, runOnce, type Job } from './scheduler.ts';

it('makes a daily job due from its local time on, once per local day', () => {
  const slot = daily('02:00', 'Asia/Shanghai');
  expect(slot(new Date('2026-03-01T17:59:59Z'))).toBeNull(); // 01:59:59 on 2 March in Shanghai
  expect(slot(new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-02');
  expect(slot(new Date('2026-03-02T15:59:00Z'))).toBe('2026-03-02');
});

describeEachDatabase('scheduled jobs', (get) => {
  it('runs a slot once however many instances try at once', async () => {
    let runs = 0;
    const job: Job = {
      name: `test.${Math.random()}`,
      slotAt: () => 'slot-1',
      run: async () => {
        runs++;
        return 'done';
      },
    };
    const now = new Date('2026-03-02T04:00:00Z');
    const ran = await Promise.all([runOnce(get().db, job, 'slot-1', now), runOnce(get().db, job, 'slot-1', now)]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    const row = await get().db.selectFrom('jobRuns').selectAll().where('job', '=', job.name).executeTakeFirstOrThrow();
    expect(row.outcome).toBe('done');
    expect(row.finishedAt).not.toBeNull();
  });
});
