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
import { cashier, moneyServices, walletWith } from '../../../test/money.ts';
import { closeAndSettle } from '../../../test/settle.ts';

const here = import.meta.dirname;

describeEachDatabase('wallets crash safety', (get, kind) => {
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
  // wallets.test.ts, and server/test/cli.test.ts checks a SIGTERM stop leaves the data folder usable.
  it.skipIf(kind !== 'postgres')(
    'leaves nothing when the process dies before the commit',
    async () => {
      const database = get();
      const s = moneyServices(database);
      const person = await walletWith(database, s, { ownFen: 1000 });
      const before = await s.ledger.verify();

      const child = path.join(dir, 'child.mts');
      writeFileSync(
        child,
        `import { openDatabase } from ${JSON.stringify(path.resolve(here, '../../db/index.ts'))};
import { testConfig } from ${JSON.stringify(path.resolve(here, '../../config.ts'))};
import { buildServices } from ${JSON.stringify(path.resolve(here, '../../services.ts'))};
import { systemClock } from ${JSON.stringify(path.resolve(here, '../../platform/clock.ts'))};
const database = await openDatabase({ databaseUrl: process.env.URL, dataDir: ':memory:' });
const { wallets } = buildServices(database.db, testConfig(), systemClock);
await database.db.transaction().execute(async (trx) => {
  const sale = await wallets.spend(trx, { personId: ${person.id}, amountFen: 700, merchant: 'canteen-1', counter: 'W01',
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
      expect((await s.wallets.balances(person.id)).ownFen).toBe(1000);
      const after = await s.ledger.verify();
      expect(after.ok).toBe(true);
      expect(after.entries).toBe(before.entries);
      const again = await s.wallets.spend(
        null,
        {
          personId: person.id,
          amountFen: 700,
          merchant: 'canteen-1',
          counter: 'W01',
          terminal: 'POS-1',
          idempotencyKey: randomUUID(),
        },
        cashier,
      );
      expect(again.balance.ownFen).toBe(300);
    },
    60_000,
  );
});
