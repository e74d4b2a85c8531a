// A process killed in the middle of a sale leaves the whole entry or nothing: the database, not the
// process, decides. The child begins a sale inside a business transaction and is SIGKILLed before it
// commits; PostgreSQL rolls the transaction back when the connection drops.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/harness.ts';
import { newPerson } from '../../../test/factories.ts';
import { FixedClock } from '../../platform/clock.ts';
import { LedgerService } from './service.ts';
import { closeAndSettle } from './testing.ts';

const here = import.meta.dirname;

describeEachDatabase('ledger crash safety', (get, kind) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ledger-crash-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await closeAndSettle(get());
  });

  // PostgreSQL only: the test's PGlite lives inside this test process, so there is no separate process
  // to kill. On PGlite the same guarantee (an error after the entry leaves nothing) is tested in
  // service.test.ts, and server/test/cli.test.ts checks a SIGTERM stop leaves the data folder usable.
  it.skipIf(kind !== 'postgres')(
    'leaves nothing when the process dies before the commit',
    async () => {
      const database = get();
      const clock = new FixedClock(new Date('2026-03-02T04:00:00Z'));
      const ledger = new LedgerService(database.db, clock, { timeZone: 'Asia/Shanghai' });
      const person = await newPerson(database.db);
      await ledger.openWallets(null, [person.id]);
      const system = { personId: null, requestId: 'crash', ip: '' };
      await ledger.topUp(
        null,
        { personId: person.id, amountFen: 1000, channel: 'test', reference: randomUUID() },
        system,
      );
      const before = await ledger.verify();

      const child = path.join(dir, 'child.mts');
      writeFileSync(
        child,
        `import { openDatabase } from ${JSON.stringify(path.resolve(here, '../../db/index.ts'))};
import { LedgerService } from ${JSON.stringify(path.resolve(here, './service.ts'))};
import { systemClock } from ${JSON.stringify(path.resolve(here, '../../platform/clock.ts'))};
const database = await openDatabase({ databaseUrl: process.env.URL, dataDir: ':memory:' });
const ledger = new LedgerService(database.db, systemClock, { timeZone: 'Asia/Shanghai' });
await database.db.transaction().execute(async (trx) => {
  const sale = await ledger.spend(trx, { personId: ${person.id}, amountFen: 700, merchant: 'canteen-1', counter: 'W01',
    terminal: 'POS-1', idempotencyKey: 'crash-${randomUUID()}' }, { personId: null, requestId: 'child', ip: '' });
  process.stdout.write('spent ' + sale.entryId + '\\n');
  await new Promise(() => {}); // the business record would be written here; the process dies first
});
`,
      );
      const url = new URL(database.location);
      const proc = spawn(process.execPath, ['--import', 'tsx', child], {
        env: { ...process.env, URL: url.toString() },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('spent')) resolve();
        });
        proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      });
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));

      // The connection is gone; the sale's locks are released and nothing of it remains.
      expect((await ledger.balances(person.id)).ownFen).toBe(1000);
      const after = await ledger.verify();
      expect(after.ok).toBe(true);
      expect(after.entries).toBe(before.entries);
      const again = await ledger.spend(
        null,
        {
          personId: person.id,
          amountFen: 700,
          merchant: 'canteen-1',
          counter: 'W01',
          terminal: 'POS-1',
          idempotencyKey: randomUUID(),
        },
        system,
      );
      expect(again.balance.ownFen).toBe(300);
    },
    60_000,
  );
});
