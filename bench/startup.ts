// Cold start: time from launching `canteen start` to its first served request, and the process's
// memory once it serves — on PGlite (empty data folder, then a restart on the same folder) and on
// PostgreSQL. The figures include Node's start, tsx, migrations and opening the database.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, printResult, round, scratchDatabase } from './lib.ts';

const RUNS = Number(process.env['BENCH_STARTUP_RUNS'] ?? 3);
const bin = path.resolve(import.meta.dirname, '../server/bin/canteen.mjs');
let nextPort = 3900 + (process.pid % 50);

interface Start {
  msToFirstRequest: number;
  rssMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function startOnce(env: Record<string, string>): Promise<Start> {
  const port = nextPort++;
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CANTEEN_DEMO: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`canteen start exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const msToFirstRequest = performance.now() - started;
    // Let start-up garbage settle before reading the resident set.
    await new Promise((r) => setTimeout(r, 1000));
    return { msToFirstRequest, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function summarise(label: string, runs: Start[]) {
  const ms = median(runs.map((r) => r.msToFirstRequest));
  const mb = median(runs.map((r) => r.rssMb));
  console.log(
    `${label.padEnd(34)} first request after ${round(ms, 0)} ms   RSS ${round(mb, 0)} MB   (median of ${runs.length})`,
  );
  return { msToFirstRequest: round(ms, 0), rssMb: round(mb, 0) };
}

const pgliteFirst: Start[] = [];
const pgliteRestart: Start[] = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'canteen-bench-'));
  try {
    pgliteFirst.push(await startOnce({ DATA_DIR: dir }));
    pgliteRestart.push(await startOnce({ DATA_DIR: dir }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const postgresFirst: Start[] = [];
const postgresRestart: Start[] = [];
for (let i = 0; i < RUNS; i++) {
  const scratch = await scratchDatabase('canteen_bench_startup');
  try {
    postgresFirst.push(await startOnce({ DATABASE_URL: scratch.url }));
    postgresRestart.push(await startOnce({ DATABASE_URL: scratch.url }));
  } finally {
    await scratch.drop();
  }
}

const result = {
  bench: 'startup',
  pgliteEmpty: summarise('PGlite, empty data folder', pgliteFirst),
  pgliteRestart: summarise('PGlite, restart on its data', pgliteRestart),
  postgresEmpty: summarise('PostgreSQL, empty database', postgresFirst),
  postgresRestart: summarise('PostgreSQL, restart', postgresRestart),
};
console.log(
  `PGlite / PostgreSQL: start ${round(result.pgliteRestart.msToFirstRequest / result.postgresRestart.msToFirstRequest, 2)}×, memory ${round(result.pgliteRestart.rssMb / result.postgresRestart.rssMb, 2)}×`,
);
printResult(result);
