// Spends per second through WalletsService.spend on PostgreSQL (account lock, balance check, entry,
// postings, cached balances, outbox notification, idempotency key: one round trip), with 1 and 8
// concurrent workers on different wallets, beside pgbench's TPC-B-like rate on the same server in the
// same run. Target: spend ≥ 0.8 × pgbench at 8 workers; p99 < 10 ms at 1 worker.
import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { testConfig } from '../server/src/config.ts';
import type { Actor } from '../server/src/platform/audit.ts';
import { systemClock } from '../server/src/platform/clock.ts';
import { buildServices, type Services } from '../server/src/services.ts';
import { percentile, POSTGRES_URL, printResult, round, scratchDatabase } from './lib.ts';

const PEOPLE = Number(process.env['BENCH_LEDGER_PEOPLE'] ?? 1000);
const SECONDS = Number(process.env['BENCH_LEDGER_SECONDS'] ?? 10);
const PGBENCH_SECONDS_8 = Number(process.env['BENCH_PGBENCH_SECONDS'] ?? 15);
const PGBENCH_SECONDS_1 = Number(process.env['BENCH_PGBENCH_SECONDS_1'] ?? 10);
const WRITE_SAMPLES = Number(process.env['BENCH_WRITE_SAMPLES'] ?? 300);
const till: Actor = { personId: null, requestId: 'bench', ip: '' };

interface Run {
  workers: number;
  spends: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
}

async function measureSpends(services: Services, personIds: number[], workers: number, seconds: number) {
  const latencies: number[] = [];
  let refused = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      // Each worker keeps to its own wallets: workers never wait on each other's purse locks.
      const mine = personIds.filter((_, i) => i % workers === w);
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await services.wallets.spend(
            null,
            {
              personId: mine[i % mine.length]!,
              amountFen: 1250,
              merchant: 'canteen-1',
              counter: `W0${w}`,
              terminal: `POS-${w}`,
              idempotencyKey: randomUUID(),
              memo: '午餐',
            },
            till,
          );
          latencies.push(performance.now() - t0);
        } catch (error) {
          refused++;
          if (refused < 5) console.error(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    workers,
    spends: latencies.length,
    perSecond: round(latencies.length / elapsed, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    refused,
  } satisfies Run;
}

function pgbench(url: string, args: string[]): string {
  const u = new URL(url);
  const base = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
  const result = spawnSync('pgbench', [...base, ...args, u.pathname.slice(1)], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
  });
  if (result.status !== 0) throw new Error(`pgbench ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Latency percentiles of a pgbench run from its per-transaction log (-l): the disk's floor for ours. */
function pgbenchLatency(url: string, args: string[]): { tps: number; p50Ms: number; p99Ms: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgbench-'));
  try {
    const tps = tpsOf(pgbench(url, [...args, '-l', `--log-prefix=${path.join(dir, 'tx')}`]));
    const latencies = readdirSync(dir)
      .flatMap((file) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    return { tps, p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tpsOf = (output: string): number => {
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
  if (!match) throw new Error(`no tps in pgbench output:\n${output}`);
  return Number(match[1]);
};

// What one transaction writes, counted on one connection so that other sessions on the server do not
// show: WAL records and bytes from EXPLAIN (ANALYZE, WAL) of each statement (the commit record is left
// out on both sides), rows from pg_stat_xact_user_tables inside the transaction.
interface Writes {
  walRecords: number;
  walBytes: number;
  /** Full-page images come with the first change of a page after a checkpoint, whenever that was. */
  walFpi: number;
  /** Bytes of the transactions that wrote no full page: what the transaction itself costs. */
  walBytesNoFpi: number;
  /** The server's execution time of the statements (EXPLAIN ANALYZE, so with its overhead). */
  serverMs: number;
  rowsInserted: number;
  rowsUpdated: number;
  hotUpdates: number;
  /** Rows inserted/updated per table, e.g. { postings: '2 ins' }. */
  tables: Record<string, string>;
}

/** Runs `statements` (each one SQL text with its parameters) as one transaction `times` times; the mean. */
async function countWrites(
  url: string,
  times: number,
  statements: (i: number) => { text: string; values: unknown[] }[],
): Promise<Writes> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const total = { walRecords: 0, walBytes: 0, walFpi: 0, rowsInserted: 0, rowsUpdated: 0, hotUpdates: 0, ms: 0 };
  const clean = { transactions: 0, walBytes: 0 };
  const tables = new Map<string, { ins: number; upd: number; hot: number }>();
  try {
    // A backend keeps its table counters until it reports them (at most once a second, when idle), and
    // pg_stat_xact_user_tables shows those not yet reported: the transaction's rows are the difference.
    const counters = async () =>
      (
        await client.query<{ relname: string; ins: number; upd: number; hot: number }>(
          `SELECT relname, n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot
             FROM pg_stat_xact_user_tables`,
        )
      ).rows;
    for (let i = 0; i < times; i++) {
      await client.query('BEGIN');
      const before = new Map((await counters()).map((row) => [row.relname, row]));
      const wal = { bytes: 0, fpi: 0 };
      for (const statement of statements(i)) {
        const { rows } = await client.query<{
          'QUERY PLAN': [{ Plan: Record<string, number>; 'Execution Time': number }];
        }>(`EXPLAIN (ANALYZE, WAL, FORMAT JSON) ${statement.text}`, statement.values);
        const explained = rows[0]!['QUERY PLAN'][0];
        total.walRecords += explained.Plan['WAL Records'] ?? 0;
        wal.bytes += explained.Plan['WAL Bytes'] ?? 0;
        wal.fpi += explained.Plan['WAL FPI'] ?? 0;
        total.ms += explained['Execution Time'];
      }
      total.walBytes += wal.bytes;
      total.walFpi += wal.fpi;
      if (!wal.fpi) {
        clean.transactions++;
        clean.walBytes += wal.bytes;
      }
      const after = await counters();
      await client.query('COMMIT');
      for (const row of after) {
        const was = before.get(row.relname) ?? { ins: 0, upd: 0, hot: 0 };
        const [ins, upd, hot] = [row.ins - was.ins, row.upd - was.upd, row.hot - was.hot];
        if (!ins && !upd) continue;
        const t = tables.get(row.relname) ?? { ins: 0, upd: 0, hot: 0 };
        tables.set(row.relname, { ins: t.ins + ins, upd: t.upd + upd, hot: t.hot + hot });
        total.rowsInserted += ins;
        total.rowsUpdated += upd;
        total.hotUpdates += hot;
      }
    }
  } finally {
    await client.end();
  }
  const mean = (n: number) => round(n / times, 2);
  return {
    walRecords: mean(total.walRecords),
    walBytes: mean(total.walBytes),
    walFpi: mean(total.walFpi),
    walBytesNoFpi: round(clean.walBytes / clean.transactions, 0),
    serverMs: round(total.ms / times, 3),
    rowsInserted: mean(total.rowsInserted),
    rowsUpdated: mean(total.rowsUpdated),
    hotUpdates: mean(total.hotUpdates),
    tables: Object.fromEntries(
      [...tables].map(([name, t]) => [
        name,
        [t.ins && `${mean(t.ins)} ins`, t.upd && `${mean(t.upd)} upd (${mean(t.hot)} HOT)`].filter(Boolean).join(', '),
      ]),
    ),
  };
}

/** Waits until the server has let the closed pool's connections go, so the forced DROP kills none. */
async function settle(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (!rows[0]?.n) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}

const ledgerDb = await scratchDatabase('canteen_bench');
const pgbenchDb = await scratchDatabase('canteen_pgbench');
const database = await openDatabase({ databaseUrl: ledgerDb.url, dataDir: ':memory:', poolSize: 16 });
try {
  await migrate(database);
  const db = database.db;
  const { rows: hospitals } = await sql<{ id: number }>`
    INSERT INTO hospitals (code, name) VALUES ('BENCH', 'bench') RETURNING id`.execute(db);
  const hospitalId = hospitals[0]!.id;
  const { rows: people } = await sql<{ id: number; hospitalId: number }>`
    INSERT INTO people (hospital_id, employee_no, name)
    SELECT ${hospitalId}, 'B' || g, 'bench ' || g FROM generate_series(1, ${PEOPLE}) g
    RETURNING id, hospital_id`.execute(db);
  const personIds = people.map((p) => p.id);
  const services = buildServices(db, testConfig(), systemClock);
  await services.wallets.openWallets(null, people);
  await services.funding.grantSubsidies(
    null,
    { batchId: 'bench', month: '2026-03', lines: personIds.map((personId) => ({ personId, amountFen: 2_000_000 })) },
    till,
  );
  console.log(`ledger: ${PEOPLE} people with wallets and ¥20,000 of subsidy each`);
  console.log('pgbench: initialising scale 10 …');
  pgbench(pgbenchDb.url, ['-i', '-s', '10', '-q']);
  // Flush what setting up wrote (pgbench -i alone writes ~150 MB), so no background write-out lands on
  // the measurements; both sides then start from the same checkpoint.
  await sql`CHECKPOINT`.execute(db);
  await measureSpends(services, personIds, 8, 3); // warm-up: JIT, pool connections, plan caches
  // A live database has statistics on its tables. Taken while they were empty, they would make the sale's
  // cached plans scan whole tables until autovacuum next analyses them (a minute or more).
  await sql`ANALYZE`.execute(db);

  // Each ledger run is followed at once by its pgbench counterpart, so both see the same machine.
  const report = (run: Run) =>
    console.log(
      `ledger spend, ${run.workers} worker(s): ${run.perSecond} spends/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms (${run.spends} spends, ${run.refused} refused)`,
    );
  const one = await measureSpends(services, personIds, 1, SECONDS);
  report(one);
  const one1 = pgbenchLatency(pgbenchDb.url, ['-c', '1', '-T', String(PGBENCH_SECONDS_1)]);
  const pg1 = one1.tps;
  console.log(`pgbench TPC-B-like, 1 client: ${round(pg1, 0)} tps (p50 ${one1.p50Ms} ms, p99 ${one1.p99Ms} ms)`);
  const eight = await measureSpends(services, personIds, 8, SECONDS);
  report(eight);
  const pg8 = tpsOf(pgbench(pgbenchDb.url, ['-c', '8', '-j', '2', '-T', String(PGBENCH_SECONDS_8)]));
  console.log(`pgbench TPC-B-like, 8 clients: ${round(pg8, 0)} tps`);

  // What one spend writes against pgbench's five statements, on a connection of their own.
  const ledgerWrites = await countWrites(ledgerDb.url, WRITE_SAMPLES, (i) => [
    {
      // The one statement WalletsService.spend sends (wallets/queries.ts).
      text: `SELECT ledger_spend($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      values: [
        personIds[i % personIds.length],
        1250,
        'canteen-1',
        'W01',
        'POS-1',
        null,
        null,
        '午餐',
        false,
        'ledger.spend',
        randomUUID(),
        'bench-hash',
        new Date(),
        null,
      ],
    },
  ]);
  const pgbenchWrites = await countWrites(pgbenchDb.url, WRITE_SAMPLES, () => {
    // pgbench's built-in tpcb-like script at scale 10.
    const [aid, tid, bid, delta] = [
      randomInt(1, 1_000_001),
      randomInt(1, 101),
      randomInt(1, 11),
      randomInt(-5000, 5001),
    ];
    return [
      { text: 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', values: [delta, aid] },
      { text: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1', values: [aid] },
      { text: 'UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', values: [delta, tid] },
      { text: 'UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', values: [delta, bid] },
      {
        text: 'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)',
        values: [tid, bid, aid, delta],
      },
    ];
  });

  const check = await services.ledger.verify();
  console.log(
    `verify after the run: ${check.ok ? 'OK' : `${check.breaches.length} breaches`} (${check.entries} entries)`,
  );

  const ratio8 = round(eight.perSecond / pg8, 2);
  const ratio1 = round(one.perSecond / pg1, 2);
  console.log('');
  console.log('                 ledger spend/s   pgbench tps   ratio');
  console.log(
    `  8 workers      ${String(eight.perSecond).padStart(14)}   ${String(round(pg8, 0)).padStart(11)}   ${ratio8}`,
  );
  console.log(
    `  1 worker       ${String(one.perSecond).padStart(14)}   ${String(round(pg1, 0)).padStart(11)}   ${ratio1}`,
  );
  console.log(
    `  1 worker latency: p50 ${one.p50Ms} ms, p99 ${one.p99Ms} ms (target < 10 ms); pgbench 1 client: p50 ${one1.p50Ms} ms, p99 ${one1.p99Ms} ms`,
  );
  const writes = (w: Writes) =>
    `${w.rowsInserted} rows inserted, ${w.rowsUpdated} updated (${w.hotUpdates} HOT); WAL ${w.walRecords} records, ${w.walBytesNoFpi} bytes without full pages (${w.walFpi} full pages, ${w.walBytes} bytes with them); server ${w.serverMs} ms`;
  console.log(`  one spend writes:          ${writes(ledgerWrites)}`);
  console.log(`    per table: ${JSON.stringify(ledgerWrites.tables)}`);
  console.log(`  one pgbench transaction:   ${writes(pgbenchWrites)}`);
  console.log(`    per table: ${JSON.stringify(pgbenchWrites.tables)}`);
  const load = loadavg().map((l) => round(l, 1));
  console.log(`  machine load average (1, 5, 15 min): ${load.join(', ')} on ${cpus().length} cores`);
  const met = ratio8 >= 0.8 && one.p99Ms < 10;
  console.log(`  target (ratio ≥ 0.8 at 8 workers, p99 < 10 ms at 1): ${met ? 'MET' : 'NOT MET'}`);
  printResult({
    bench: 'ledger',
    spendsPerSecond: { workers1: one.perSecond, workers8: eight.perSecond },
    latencyMs: { workers1: { p50: one.p50Ms, p99: one.p99Ms }, workers8: { p50: eight.p50Ms, p99: eight.p99Ms } },
    pgbenchTps: { clients1: round(pg1, 0), clients8: round(pg8, 0) },
    pgbenchLatencyMs: { clients1: { p50: one1.p50Ms, p99: one1.p99Ms } },
    ratio: { workers1: ratio1, workers8: ratio8 },
    writesPerTransaction: { spend: ledgerWrites, pgbench: pgbenchWrites },
    targetMet: met,
    verified: check.ok,
    loadAverage: load,
  });
} finally {
  await database.close();
  await settle(ledgerDb.name);
  await ledgerDb.drop();
  await pgbenchDb.drop();
}
