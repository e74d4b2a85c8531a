// One person's burst of PIN payments against everyone else: while one person fires 40 transfers at
// once (each checks the payment PIN with scrypt before the money moves), another person reads their
// wallet again and again. Measures that reader's latency, alone and during each burst, through the
// whole HTTP stack on PostgreSQL with the default pool (DB_POOL_SIZE 10). Before issue 7 a PIN check
// held the PIN row and a pooled connection while scrypt ran, and the reader waited over 4 s.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.ts';
import { testConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { systemActor } from '../server/src/platform/audit.ts';
import type { App } from '../server/src/platform/http.ts';
import { percentile, printResult, round, scratchDatabase } from './lib.ts';

const TRANSFERS = Number(process.env['BENCH_PIN_BURST_TRANSFERS'] ?? 40);
const BURSTS = Number(process.env['BENCH_PIN_BURST_ROUNDS'] ?? 3);
const BASELINE_MS = 2000;
const PIN = '385912';

interface Reads {
  reads: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Reads the wallet, one request after the other, until `until` settles (or for `ms`). */
async function readWallet(app: App, cookie: string, until: Promise<unknown> | number): Promise<Reads> {
  let done = false;
  if (typeof until === 'number') setTimeout(() => (done = true), until);
  else void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const t0 = performance.now();
    const res = await app.inject({ url: '/api/me/wallet', headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`wallet read answered ${res.statusCode}: ${res.body}`);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return {
    reads: latencies.length,
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    maxMs: round(latencies.at(-1) ?? NaN, 1),
  };
}

const scratch = await scratchDatabase('canteen_pinburst');
const database = await openDatabase({ databaseUrl: scratch.url, dataDir: ':memory:', poolSize: 10 });
try {
  await migrate(database);
  const { app, services } = await buildApp({
    config: testConfig({ databaseUrl: scratch.url, dbPoolSize: 10 }),
    database,
    logger: false,
  });
  await app.ready();
  const db = database.db;
  const { rows: hospitals } = await sql<{ id: number }>`
    INSERT INTO hospitals (code, name) VALUES ('BENCH', 'bench') RETURNING id`.execute(db);
  const { rows: people } = await sql<{ id: number; hospitalId: number }>`
    INSERT INTO people (hospital_id, employee_no, name)
    SELECT ${hospitals[0]!.id}, 'P' || g, 'bench ' || g FROM generate_series(1, 3) g
    RETURNING id, hospital_id`.execute(db);
  const [payer, payee, reader] = people.map((p) => p.id) as [number, number, number];
  await services.wallets.openWallets(null, people);
  await services.funding.topUp(
    null,
    { personId: payer, amountFen: 1_000_000, source: 'cash', counter: 'BENCH', reference: 'pin-burst' },
    systemActor,
  );
  await services.cards.setPin(payer, PIN, undefined, systemActor);
  const client = { ip: '10.0.0.1', userAgent: 'bench' };
  const cookieOf = async (personId: number) =>
    `canteen_session=${(await services.auth.openSession(personId, 'password', client)).token}`;
  const [payerCookie, readerCookie] = [await cookieOf(payer), await cookieOf(reader)];

  const transfer = () =>
    app.inject({
      method: 'POST',
      url: '/api/me/transfers',
      headers: { cookie: payerCookie, 'idempotency-key': randomUUID() },
      payload: { toPersonId: payee, amountFen: 100, pin: PIN },
    });

  await readWallet(app, readerCookie, 500); // warm-up: pool connections, plan caches, JIT
  const alone = await readWallet(app, readerCookie, BASELINE_MS);
  console.log(
    `wallet read alone: p50 ${alone.p50Ms} ms, p99 ${alone.p99Ms} ms, max ${alone.maxMs} ms (${alone.reads} reads)`,
  );

  const bursts = [];
  for (let round_ = 1; round_ <= BURSTS; round_++) {
    const started = performance.now();
    const burst = Promise.all(Array.from({ length: TRANSFERS }, transfer));
    const during = await readWallet(app, readerCookie, burst);
    const answers = await burst;
    const burstMs = round(performance.now() - started, 0);
    const paid = answers.filter((a) => a.statusCode === 200).length;
    if (paid !== TRANSFERS) throw new Error(`only ${paid} of ${TRANSFERS} transfers went through: ${answers[0]?.body}`);
    console.log(
      `burst ${round_}: ${TRANSFERS} transfers with PIN in ${burstMs} ms; meanwhile another person's wallet read: p50 ${during.p50Ms} ms, p99 ${during.p99Ms} ms, max ${during.maxMs} ms (${during.reads} reads)`,
    );
    bursts.push({ burstMs, ...during });
  }
  const check = await services.ledger.verify();
  const load = loadavg().map((l) => round(l, 1));
  console.log(
    `verify: ${check.ok ? 'OK' : `${check.breaches.length} breaches`}; load average ${load.join(', ')} on ${cpus().length} cores`,
  );
  await app.close();
  printResult({ bench: 'pin-burst', transfers: TRANSFERS, alone, bursts, verified: check.ok, load });
} finally {
  await database.close();
  await scratch.drop();
}
