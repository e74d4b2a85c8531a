// 清零 as the scheduler runs it: every month expires once, in order, even when the server was down on the 1st.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/harness.ts';
import { cashier, moneyServices, sale, walletWith } from '../../../test/money.ts';
import { closeAndSettle } from '../../../test/settle.ts';
import { Scheduler, type Job } from '../../platform/scheduler.ts';
import { walletJobs } from './jobs.ts';

describeEachDatabase('subsidy expiry job', (get) => {
  afterAll(() => closeAndSettle(get()));

  it('expires every month missed while the server was down, in order, exactly once', async () => {
    const s = moneyServices(get(), '2026-01-10T02:00:00Z');
    const [expiry] = walletJobs(s.closing, () => s.directory.hospitalIds(), 'Asia/Shanghai') as [Job];
    const ran: string[] = [];
    let failJune = true;
    const job: Job = {
      ...expiry,
      run: (slot, now) => {
        ran.push(slot);
        if (slot === '2026-06-01' && failJune) {
          failJune = false;
          return Promise.reject(new Error('the database went away'));
        }
        return expiry.run(slot, now);
      },
    };
    const grant = (personId: number, month: string, amountFen: number) =>
      s.funding.grantSubsidies(null, { batchId: randomUUID(), month, lines: [{ personId, amountFen }] }, cashier);
    const expiries = () =>
      get()
        .db.selectFrom('journalEntries')
        .select(['referenceId', 'createdAt'])
        .where('kind', '=', 'subsidy_expiry')
        .orderBy('id')
        .execute();

    // Running on 10 January: January's subsidy is granted and partly spent.
    await new Scheduler(get().db, s.clock, [job], { instanceId: 'before' }).tick();
    const person = await walletWith(get(), s, { subsidyFen: 800 });
    await s.wallets.spend(null, sale(person.id, 300), cashier);

    // Down from 20 January until 2 April, 09:00 in Shanghai: three month ends missed.
    s.clock.set('2026-04-02T01:00:00Z');
    const fresh = [1, 2].map((n) => new Scheduler(get().db, s.clock, [job], { instanceId: `after-${n}` }));
    await Promise.all(fresh.map((scheduler) => scheduler.tick()));
    expect(ran).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
    expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 0 });
    await expect(s.wallets.spend(null, sale(person.id, 100), cashier)).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
    });
    // January's 500 fen left in one entry; February and March found nothing more to expire.
    expect((await expiries()).map((e) => e.referenceId)).toEqual(['2026-01']);
    const runs = await get()
      .db.selectFrom('jobRuns')
      .select(['slot', 'status', 'attempts', 'outcome'])
      .where('job', '=', job.name)
      .orderBy('slot')
      .execute();
    expect(runs.map((r) => [r.slot, r.status, r.attempts])).toEqual([
      ['2026-02-01', 'done', 1],
      ['2026-03-01', 'done', 1],
      ['2026-04-01', 'done', 1],
    ]);
    expect(runs[0]!.outcome).toMatch(/^2026-01: .*1 purses, 500 fen/);

    // April runs normally; the server is down over 1 May and starts on the 2nd: April expires then.
    await fresh[0]!.tick();
    await grant(person.id, '2026-04', 1_000);
    s.clock.set('2026-05-02T00:30:00Z');
    await new Scheduler(get().db, s.clock, [job], { instanceId: 'may' }).tick();
    expect(ran).toEqual(['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']);
    expect((await expiries()).map((e) => e.referenceId)).toEqual(['2026-01', '2026-04']);
    expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 0 });

    // May's subsidy; on 1 June the expiry fails and is retried only after finance granted June's and the
    // person spent some: the retry expires what is left of May, never June's grant.
    const may = new Scheduler(get().db, s.clock, [job], { instanceId: 'may' });
    await grant(person.id, '2026-05', 600);
    s.clock.set('2026-05-31T16:05:00Z');
    await may.tick();
    expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 600 });
    s.clock.set('2026-06-01T02:00:00Z');
    await grant(person.id, '2026-06', 1_000);
    await s.wallets.spend(null, sale(person.id, 200), cashier);
    await may.tick();
    expect(ran.slice(-2)).toEqual(['2026-06-01', '2026-06-01']);
    expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 1_000 });
    expect(await expiries()).toHaveLength(3);
    expect((await s.ledger.verify()).breaches).toEqual([]);
  });
});
