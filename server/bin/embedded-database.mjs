// The embedded database's cluster, created ahead of the server. Creating it is PGlite's initdb in
// WebAssembly, about 9 s of CPU and the longest step of a first `npm start`; it needs nothing of the
// server's code, so `npm start` runs it while tsc builds the server (and Vite the web app) instead of
// after. The server then opens the folder as on any restart. It follows config.ts's reading of DATABASE_URL
// and DATA_DIR; where they say otherwise (a PostgreSQL server, an in-memory database), nothing is done here
// and the server does what it always does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The data folder a first start will create, or null when there is none to create. */
export function embeddedClusterToCreate(env = process.env) {
  if ((env.DATABASE_URL ?? '') !== '') return null;
  const raw = env.DATA_DIR ?? './data';
  if (raw === ':memory:' || !raw.trim()) return null;
  const dir = path.resolve(raw);
  return existsSync(path.join(dir, 'PG_VERSION')) ? null : dir;
}

/**
 * Creates the cluster in `dir` in a child process: initdb holds its thread for seconds at a time, and the
 * launcher's own thread must stay free to read what the builds beside it print. Resolves with the seconds.
 */
export function createEmbeddedCluster(dir) {
  const started = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`creating the embedded database in ${dir} failed (exit ${code}):\n${errors}`));
    });
  });
}

// The child: create, then close (which writes the folder out) and exit.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(process.argv[2]);
  await pglite.close();
}
