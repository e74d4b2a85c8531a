// The web app's build (web/dist) is made only when its sources or the installed packages are newer than
// the last build: the first start on a fresh clone builds it, later starts skip it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const stamp = path.join(web, 'dist', 'admin', 'index.html');
/** A nice value: below the launcher's own work, still well above idle. */
const BACKGROUND_PRIORITY = 10;

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

export function webBuildIsStale() {
  if (!existsSync(stamp)) return true;
  // The lock file: an upgraded dependency changes what the bundle holds.
  return statSync(stamp).mtimeMs < Math.max(newest(web), statSync(path.join(root, 'package-lock.json')).mtimeMs);
}

/**
 * Builds the web app in a child process. `quiet` keeps Vite's listing of every file to itself and shows
 * it only when the build fails. `background` runs it at a lower priority: `npm start` needs the pages
 * only once the server is ready to serve, so the steps before that (creating the database, loading the
 * demo) get the CPU first and the build takes what they leave. Resolves with the seconds it took.
 */
export function buildWeb({ quiet, background = false }) {
  const started = performance.now();
  const child = spawn('npm', ['run', 'build', '--workspace', 'web'], {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  // Set before npm has started Vite, which inherits it. Where it is not allowed, the build runs as is.
  if (background && child.pid) {
    try {
      setPriority(child.pid, BACKGROUND_PRIORITY);
    } catch {
      // no permission to lower it: same priority as the rest
    }
  }
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`building the web app failed (exit ${code})${quiet ? `:\n${output}` : ''}`));
    });
  });
}
