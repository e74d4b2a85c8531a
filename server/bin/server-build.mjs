// server/dist: the compiled JavaScript that `canteen` runs. tsc emits it from src/ (tsconfig.build.json)
// and the SQL migrations are copied beside the code that reads them. It is rebuilt when the sources
// differ from those it was built from (a fingerprint of their contents, not their times, so a file
// deleted or restored by git is noticed too).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const server = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(server, 'src');
const migrations = path.join('db', 'migrations');
const SERVER_DIST = path.join(server, 'dist');
const FINGERPRINT = '.sources';
const CONFIGS = ['tsconfig.build.json', 'tsconfig.json', '../tsconfig.base.json'].map((f) => path.join(server, f));

/** Everything the build reads: the sources (not the tests), the migrations, the tsconfig chain, this script. */
function inputs() {
  const sources = readdirSync(src, { recursive: true })
    .filter((f) => (f.endsWith('.ts') && !f.endsWith('.test.ts')) || (f.startsWith(migrations) && f.endsWith('.sql')))
    .sort()
    .map((f) => path.join(src, f));
  return [...sources, ...CONFIGS.filter((f) => existsSync(f)), fileURLToPath(import.meta.url)];
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of inputs())
    hash.update(path.relative(server, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function builtFrom() {
  const file = path.join(SERVER_DIST, FINGERPRINT);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

function tscPath() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

function runTsc(tsc, outDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', CONFIGS[0], '--outDir', outDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc failed (exit ${code}):\n${output}`))));
  });
}

/** Moves the finished build into place; when another process finished one first, theirs stays. */
function replaceDist(staging) {
  const old = `${SERVER_DIST}.old-${process.pid}`;
  if (existsSync(SERVER_DIST)) renameSync(SERVER_DIST, old);
  try {
    renameSync(staging, SERVER_DIST);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(SERVER_DIST)) throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Builds server/dist when it is missing or its sources changed; resolves once it is current. A copy
 * without src/ (the compiled server deployed alone) is taken as built.
 */
export async function ensureServerBuild(log) {
  if (!existsSync(src)) return;
  const sources = fingerprint();
  if (builtFrom() === sources) return;
  const tsc = tscPath();
  if (!tsc) {
    throw new Error(
      `${existsSync(SERVER_DIST) ? 'server/src changed since server/dist was built' : 'server/dist is not built'}, and` +
        ' TypeScript (a development dependency) is not installed to build it: run "npm run build" where it is.',
    );
  }
  const started = performance.now();
  log('building the server (tsc → server/dist) …');
  const staging = `${SERVER_DIST}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await runTsc(tsc, staging);
    mkdirSync(path.join(staging, migrations), { recursive: true });
    for (const file of readdirSync(path.join(src, migrations)).filter((f) => f.endsWith('.sql'))) {
      copyFileSync(path.join(src, migrations, file), path.join(staging, migrations, file));
    }
    writeFileSync(path.join(staging, FINGERPRINT), `${sources}\n`);
    replaceDist(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`server built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// `npm run build -w server` (and `npm run build` at the root): build now if anything changed.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await ensureServerBuild((line) => process.stdout.write(`${line}\n`));
}
