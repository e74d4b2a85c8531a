// The monthly totals finance reconciles against come from the journal, whatever path granted the money.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { signIn } from '../../../test/factories.ts';
import { describeApp } from '../../../test/harness.ts';
import { systemActor } from '../../platform/audit.ts';
import { subsidyKit, utf8 } from './testing.ts';

describeApp('subsidy granted per month (from the journal)', (get) => {
  const { staff, upload, confirm } = subsidyKit(get);
  const months = async (cookie: string) => {
    const res = await get().app.inject({ url: '/api/subsidies/months', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    return res.json().items as { month: string; totalFen: number; people: number; entries: number }[];
  };

  it('counts a file, a grant made without a file, and a reversal, each in the month it is for', async () => {
    const finance = await signIn(get(), ['finance']);
    const [a, b, c] = [await staff('林一'), await staff('林二'), await staff('林三')];
    // Through a file, as finance uploads it.
    const batch = await upload(
      '2026年5月补贴.csv',
      utf8(`工号,金额\n${a.employeeNo},300\n${b.employeeNo},200\n`),
      '2026-05',
    );
    await confirm(batch.id);
    // Not through a file: the demo seed and later integrations grant through the wallets directly.
    const direct = await get().services.funding.grantSubsidies(
      null,
      { batchId: `direct-${randomUUID()}`, month: '2026-05', lines: [{ personId: c.id, amountFen: 40_000 }] },
      systemActor,
    );
    const june = await get().services.funding.grantSubsidies(
      null,
      { batchId: `direct-${randomUUID()}`, month: '2026-06', lines: [{ personId: c.id, amountFen: 10_000 }] },
      systemActor,
    );
    expect(await months(finance.cookie)).toEqual(
      expect.arrayContaining([
        { month: '2026-06', totalFen: 10_000, people: 1, entries: 1 },
        { month: '2026-05', totalFen: 90_000, people: 3, entries: 2 },
      ]),
    );
    // A grant reversed (a mistake corrected) no longer counts for its month.
    await get().services.ledger.reverseEntry(null, { entryId: june.entryId, reason: '重复发放' }, systemActor);
    const after = await months(finance.cookie);
    expect(after.find((m) => m.month === '2026-06')?.totalFen).toBe(0);
    expect(after.find((m) => m.month === '2026-05')?.totalFen).toBe(90_000);
    expect(direct.alreadyGranted).toBe(false);
  });

  it('is for the roles that manage subsidies only', async () => {
    const staffMember = await signIn(get(), ['staff']);
    const res = await get().app.inject({ url: '/api/subsidies/months', headers: { cookie: staffMember.cookie } });
    expect(res.statusCode).toBe(403);
  });
});
