// The command line as an operator uses it: a real `canteen` process, a real data folder. Every process
// loads the whole server, so the tests run side by side (describe.concurrent): the short commands run
// while the slow start loads the demo hospital. The time limits only catch a process that hangs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../bin/canteen.mjs');
const dataDir = mkdtempSync(path.join(tmpdir(), 'canteen-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SHORT_COMMAND_MS = 180_000;

/** Runs `canteen args…` to the end and returns its exit code and output. */
function canteen(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: SHORT_COMMAND_MS,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts the server, waits until it serves, runs `during`, then stops it with SIGTERM. */
async function withServer(env: Record<string, string>, during: (base: string) => Promise<void>) {
  const port = 3400 + Math.floor(Math.random() * 500);
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, LOG_LEVEL: 'info', PORT: String(port), DATA_DIR: dataDir, ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`no answer:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await during(base);
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, output };
}

describe.concurrent('canteen command line', () => {
  it(
    'prints usage, and help for each command',
    async () => {
      const [help, migrateHelp] = await Promise.all([canteen(['--help']), canteen(['migrate', '--help'])]);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/start\s+Migrate the database/);
      expect(migrateHelp.status).toBe(0);
      expect(migrateHelp.stdout).toContain('--status');
    },
    SHORT_COMMAND_MS,
  );

  it(
    'refuses an unknown command',
    async () => {
      const result = await canteen(['launch']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('unknown command "launch"');
    },
    SHORT_COMMAND_MS,
  );

  it(
    'stops on a bad setting with a message naming the variable and what it allows',
    async () => {
      const result = await canteen(['migrate'], { PORT: 'eighty' });
      expect(result.status).toBe(78);
      expect(result.stderr).toContain('PORT="eighty" is not allowed: expected an integer from 1 to 65535');
    },
    SHORT_COMMAND_MS,
  );

  it('starts on an empty folder with the demo hospital, stops cleanly on SIGTERM, and keeps the data', async () => {
    const first = await withServer({ CANTEEN_DEMO: 'true' }, async (base) => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'canteen123' }),
      });
      expect(login.status).toBe(200);
    });
    expect(first.code).toBe(0);
    expect(first.output).toContain('loading the demo hospital');
    expect(first.output).toMatch(/Smart Canteen is running on http:\/\/localhost:\d+/);
    expect(first.output).toContain('demo logins');
    expect(first.output).toContain('stopped cleanly');

    const second = await withServer({ CANTEEN_DEMO: 'true' }, async (base) => {
      // Same data folder: the demo is not loaded again and the admin login still works.
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'canteen123' }),
      });
      expect(login.status).toBe(200);
    });
    expect(second.code).toBe(0);
    expect(second.output).not.toContain('loading the demo hospital');

    const status = await canteen(['migrate', '--status'], { DATA_DIR: dataDir });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^applied {2}0001_foundation$/m);
    expect(status.stdout).not.toContain('pending');
  }, 600_000);
});
