// Start-up: how long until the platform answers, and what it costs.
// - `npm start` as a newcomer runs it: a fresh clone (no server/dist, no web/dist), an empty data folder,
//   the demo hospital loaded; then `npm start` again on that data. The clock runs until /healthz answers,
//   which `start` allows only once the demo is loaded and the web app built.
// - `canteen start` (the compiled server, no demo) on PGlite and on PostgreSQL, empty and on restart, with
//   the process's memory once it serves.
// Each figure also gives the CPU seconds of the whole process tree (the start, tsc, Vite, PGlite): on a
// machine shared with others they move far less than the wall clock does.
// BENCH_STARTUP_ROOT runs `npm start` in another checkout (e.g. an export of an older commit, for a
// before/after in one sitting); BENCH_STARTUP_RUNS sets the runs of each figure (3; the fresh clone once).
// This bench deletes and rebuilds server/dist and web/dist of that checkout. BENCH_STARTUP_NPM_ONLY=true
// measures only the two `npm start` figures. Each `npm start` figure also prints its timeline: the second
// at which each of its progress lines appeared, so a slow phase shows by name.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { median, printResult, round, scratchDatabase } from './lib.ts';

const RUNS = Number(process.env['BENCH_STARTUP_RUNS'] ?? 3);
const root = path.resolve(process.env['BENCH_STARTUP_ROOT'] ?? path.join(import.meta.dirname, '..'));
const bin = path.join(root, 'server/bin/canteen.mjs');
let nextPort = 3900 + (process.pid % 50);

interface Start {
  msToAnswer: number;
  /** Each line the start printed, with the seconds since it was launched. */
  timeline: [number, string][];
  cpuSeconds: number;
  rssMb: number;
  /** The machine's one-minute load average as the run began. */
  load: number;
}

const TICKS_PER_SECOND = 100;
/** CPU seconds of this process's children that have ended (and of theirs): fields cutime and cstime. */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function startOnce(command: string[], env: Record<string, string>, probe = '/healthz'): Promise<Start> {
  const port = nextPort++;
  const load = loadavg()[0]!;
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const timeline: [number, string][] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const at = round((performance.now() - started) / 1000, 1);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim()) timeline.push([at, line.trim()]);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let msToAnswer: number;
  let rss: number;
  let server = child.pid!;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}${probe}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 600_000) throw new Error('no answer within 600 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    msToAnswer = performance.now() - started;
    // Let start-up garbage settle before reading the resident set (of the server: npm's child).
    await new Promise((r) => setTimeout(r, 1000));
    server = serverPid(child.pid!);
    rss = rssMb(server);
  } finally {
    // To the server itself (not to npm or a shell between): it finishes and closes its database cleanly.
    process.kill(server, 'SIGTERM');
    await exited;
  }
  return { msToAnswer, timeline, cpuSeconds: childrenCpuSeconds() - cpuBefore, rssMb: rss, load };
}

/** The process that serves: `pid` itself, or the deepest single child below it (npm → sh → node). */
function serverPid(pid: number): number {
  for (;;) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length !== 1) return pid;
    pid = Number(children[0]);
  }
}

function printTimeline(label: string, run: Start): void {
  console.log(`${label}:`);
  for (const [at, line] of run.timeline) console.log(`  ${at.toFixed(1).padStart(6)} s  ${line}`);
  console.log(`  ${(run.msToAnswer / 1000).toFixed(1).padStart(6)} s  (answers)`);
}

function summarise(label: string, runs: Start[]) {
  const ms = median(runs.map((r) => r.msToAnswer));
  const cpu = median(runs.map((r) => r.cpuSeconds));
  const mb = median(runs.map((r) => r.rssMb));
  const load = median(runs.map((r) => r.load));
  console.log(
    `${label.padEnd(44)} answers after ${round(ms / 1000, 1)} s   CPU ${round(cpu, 1)} s   RSS ${round(mb, 0)} MB   (median of ${runs.length}; load ${round(load, 1)})`,
  );
  return { msToAnswer: round(ms, 0), cpuSeconds: round(cpu, 1), rssMb: round(mb, 0), loadAverage: round(load, 1) };
}

const npmStart = ['npm', 'start'];
const fresh: Start[] = [];
const again: Start[] = [];
const demoDir = mkdtempSync(path.join(tmpdir(), 'canteen-bench-'));
try {
  for (const built of ['server/dist', 'web/dist']) rmSync(path.join(root, built), { recursive: true, force: true });
  fresh.push(await startOnce(npmStart, { DATA_DIR: demoDir, CANTEEN_DEMO: 'true' }));
  for (let i = 0; i < RUNS; i++) again.push(await startOnce(npmStart, { DATA_DIR: demoDir, CANTEEN_DEMO: 'true' }));
} finally {
  rmSync(demoDir, { recursive: true, force: true });
}
printTimeline('npm start, fresh clone', fresh[0]!);
if (again[0]) printTimeline('npm start again', again[0]);
const npmOnly = process.env['BENCH_STARTUP_NPM_ONLY'] === 'true';

const canteenStart = [process.execPath, bin, 'start'];
const noDemo = { CANTEEN_DEMO: 'false' };
const pgliteFirst: Start[] = [];
const pgliteRestart: Start[] = [];
for (let i = 0; i < (npmOnly ? 0 : RUNS); i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'canteen-bench-'));
  try {
    pgliteFirst.push(await startOnce(canteenStart, { ...noDemo, DATA_DIR: dir }, '/readyz'));
    pgliteRestart.push(await startOnce(canteenStart, { ...noDemo, DATA_DIR: dir }, '/readyz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const postgresFirst: Start[] = [];
const postgresRestart: Start[] = [];
for (let i = 0; i < (npmOnly ? 0 : RUNS); i++) {
  const scratch = await scratchDatabase('canteen_bench_startup');
  try {
    postgresFirst.push(await startOnce(canteenStart, { ...noDemo, DATABASE_URL: scratch.url }, '/readyz'));
    postgresRestart.push(await startOnce(canteenStart, { ...noDemo, DATABASE_URL: scratch.url }, '/readyz'));
  } finally {
    await scratch.drop();
  }
}

const result = {
  bench: 'startup',
  root,
  npmStartFreshClone: summarise('npm start, fresh clone, demo loaded', fresh),
  npmStartAgain: summarise('npm start again on that data', again),
  ...(npmOnly
    ? {}
    : {
        pgliteEmpty: summarise('canteen start, PGlite, empty data folder', pgliteFirst),
        pgliteRestart: summarise('canteen start, PGlite, restart on its data', pgliteRestart),
        postgresEmpty: summarise('canteen start, PostgreSQL, empty database', postgresFirst),
        postgresRestart: summarise('canteen start, PostgreSQL, restart', postgresRestart),
      }),
};
printResult(result);
