import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { FixedClock } from './clock.ts';
import { daily, hourly, monthly, retryDelay, Scheduler, slotsBetween, type Job } from './scheduler.ts';

const ZONE = 'Asia/Shanghai';

describe('schedules', () => {
  it('makes a daily job due from its local time on, once per local day', () => {
    const nightly = daily('02:00', ZONE);
    // 01:59:59 on 2 March in Shanghai: the 1 March slot is the latest due.
    expect(nightly.latest(new Date('2026-03-01T17:59:59Z')).key).toBe('2026-03-01');
    expect(nightly.latest(new Date('2026-03-01T18:00:00Z'))).toEqual({
      key: '2026-03-02',
      dueAt: new Date('2026-03-01T18:00:00Z'),
    });
    expect(nightly.next(new Date('2026-03-01T18:00:00Z')).key).toBe('2026-03-03');
  });

  it('makes a monthly job due on the local 1st, across the year end', () => {
    const monthEnd = monthly('00:05', ZONE);
    // 00:04 on 1 January 2027 in Shanghai: December's slot is still the latest.
    expect(monthEnd.latest(new Date('2026-12-31T16:04:00Z')).key).toBe('2026-12-01');
    expect(monthEnd.next(new Date('2026-12-31T16:04:00Z'))).toEqual({
      key: '2027-01-01',
      dueAt: new Date('2026-12-31T16:05:00Z'),
    });
    expect(monthEnd.latest(new Date('2026-12-31T16:05:00Z')).key).toBe('2027-01-01');
  });

  it('lists every slot missed while down, oldest first, and none before the job was scheduled', () => {
    const since = new Date('2026-01-10T02:00:00Z');
    expect(slotsBetween(monthly('00:05', ZONE), since, new Date('2026-04-02T01:00:00Z'))).toEqual([
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
    ]);
    expect(slotsBetween(monthly('00:05', ZONE), since, new Date('2026-01-31T15:00:00Z'))).toEqual([]);
    expect(slotsBetween(hourly, new Date('2026-03-02T04:00:00Z'), new Date('2026-03-02T06:30:00Z'))).toEqual([
      '2026-03-02T05',
      '2026-03-02T06',
    ]);
  });

  it('waits longer after each failure, up to the cap', () => {
    expect([1, 2, 3, 7, 8, 40].map((n) => retryDelay(n, 60_000, 3_600_000) / 60_000)).toEqual([1, 2, 4, 60, 60, 60]);
  });
});

/** A job whose runs are counted and whose outcome each test decides. */
function testJob(run: (slot: string, call: number) => Promise<string>, catchUp: Job['catchUp'] = 'latest') {
  const calls: string[] = [];
  const job: Job = {
    name: `test.${Math.random().toString(36).slice(2)}`,
    schedule: hourly,
    catchUp,
    run: (slot) => {
      calls.push(slot);
      return run(slot, calls.length);
    },
  };
  return { job, calls };
}

describeEachDatabase('scheduled jobs', (get) => {
  const runRow = (job: Job) =>
    get().db.selectFrom('jobRuns').selectAll().where('job', '=', job.name).orderBy('slot').execute();

  it('runs a slot once when two schedulers tick at the same moment', async () => {
    const clock = new FixedClock(new Date('2026-03-02T04:10:00Z'));
    const { job, calls } = testJob(async () => 'done');
    const a = new Scheduler(get().db, clock, [job], { instanceId: 'a' });
    const b = new Scheduler(get().db, clock, [job], { instanceId: 'b' });
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(calls).toEqual(['2026-03-02T04']);
    expect(await runRow(job)).toMatchObject([{ slot: '2026-03-02T04', status: 'done', attempts: 1, outcome: 'done' }]);
  });

  it('takes over a claim whose lease lapsed, runs it once, and ignores the first instance when it wakes', async () => {
    const clock = new FixedClock(new Date('2026-03-02T04:10:00Z'));
    let wake: (outcome: string) => void = () => {};
    let claimed: () => void = () => {};
    const claimedByA = new Promise<void>((resolve) => (claimed = resolve));
    // The first run hangs, as on an instance that froze or lost its network; later runs finish at once.
    const { job, calls } = testJob((_slot, call) => {
      if (call > 1) return Promise.resolve('done by b');
      claimed();
      return new Promise((resolve) => (wake = resolve));
    });
    const a = new Scheduler(get().db, clock, [job], { instanceId: 'a', leaseMs: 5 * 60_000 });
    const b = new Scheduler(get().db, clock, [job], { instanceId: 'b', leaseMs: 5 * 60_000 });
    const stuck = a.tick();
    await claimedByA;

    await b.tick(); // a's lease holds: b leaves the slot alone
    expect(calls).toHaveLength(1);
    clock.advance(5 * 60_000 - 1);
    await b.tick();
    expect(calls).toHaveLength(1);

    clock.advance(1); // the lease has lapsed
    await b.tick();
    expect(calls).toEqual(['2026-03-02T04', '2026-03-02T04']);
    const [row] = await runRow(job);
    expect(row).toMatchObject({
      status: 'done',
      attempts: 2,
      claimedBy: 'b',
      outcome: 'done by b',
      lastError: 'the lease of a lapsed',
    });

    wake('done by a, too late');
    await stuck;
    await Promise.all([a.tick(), b.tick()]);
    expect(calls).toHaveLength(2);
    expect(await runRow(job)).toEqual([row]);
  });

  it('retries a failed slot with a growing pause until it succeeds', async () => {
    const clock = new FixedClock(new Date('2026-03-02T04:10:00Z'));
    const errors: unknown[] = [];
    const { job, calls } = testJob(async (_slot, call) => {
      if (call <= 2) throw new Error(`the bank did not answer (${call})`);
      return 'done';
    });
    const scheduler = new Scheduler(get().db, clock, [job], { instanceId: 'a', onError: (e) => errors.push(e) });

    await scheduler.tick();
    expect(await runRow(job)).toMatchObject([
      {
        status: 'failed',
        attempts: 1,
        outcome: 'failed: the bank did not answer (1)',
        lastError: 'failed: the bank did not answer (1)',
        nextAttemptAt: new Date('2026-03-02T04:11:00Z'),
      },
    ]);
    expect(errors).toHaveLength(1);
    clock.advance(60_000 - 1);
    await scheduler.tick();
    expect(calls).toHaveLength(1);

    clock.advance(1);
    await scheduler.tick();
    expect(await runRow(job)).toMatchObject([
      { status: 'failed', attempts: 2, nextAttemptAt: new Date('2026-03-02T04:13:00Z') },
    ]);
    clock.advance(2 * 60_000 - 1);
    await scheduler.tick();
    expect(calls).toHaveLength(2);

    clock.advance(1);
    await scheduler.tick();
    expect(calls).toHaveLength(3);
    expect(await runRow(job)).toMatchObject([
      { status: 'done', attempts: 3, outcome: 'done', nextAttemptAt: null, leaseUntil: null },
    ]);
  });

  it('runs every missed slot of a catching-up job in order, and holds later ones back while one fails', async () => {
    const clock = new FixedClock(new Date('2026-03-02T04:10:00Z'));
    let failing = true;
    const { job, calls } = testJob(async (slot) => {
      if (slot === '2026-03-02T06' && failing) throw new Error('not yet');
      return `did ${slot}`;
    }, 'every');
    const scheduler = new Scheduler(get().db, clock, [job], { instanceId: 'a' });
    await scheduler.tick(); // first seen: scheduled from now on, nothing due yet
    expect(calls).toEqual([]);

    clock.set('2026-03-02T07:30:00Z');
    await scheduler.tick();
    expect(calls).toEqual(['2026-03-02T05', '2026-03-02T06']);

    failing = false;
    clock.advance(60_000);
    await scheduler.tick();
    expect(calls).toEqual(['2026-03-02T05', '2026-03-02T06', '2026-03-02T06', '2026-03-02T07']);
    expect((await runRow(job)).map((r) => [r.slot, r.status, r.attempts])).toEqual([
      ['2026-03-02T05', 'done', 1],
      ['2026-03-02T06', 'done', 2],
      ['2026-03-02T07', 'done', 1],
    ]);
  });
});
