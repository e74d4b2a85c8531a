// The command line as an operator uses it: a real `canteen` process, a real data folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../bin/canteen.mjs');
const dataDir = mkdtempSync(path.join(tmpdir(), 'canteen-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function canteen(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
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
    const deadline = Date.now() + 120_000;
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

describe('canteen command line', () => {
  it('prints usage, and help for each command', () => {
    const help = canteen(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/start\s+Migrate the database/);
    const migrateHelp = canteen(['migrate', '--help']);
    expect(migrateHelp.status).toBe(0);
    expect(migrateHelp.stdout).toContain('--status');
  });

  it('refuses an unknown command', () => {
    const result = canteen(['launch']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "launch"');
  });

  it('stops on a bad setting with a message naming the variable and what it allows', () => {
    const result = canteen(['migrate'], { PORT: 'eighty' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT="eighty" is not allowed: expected an integer from 1 to 65535');
  });

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

    const status = canteen(['migrate', '--status'], { DATA_DIR: dataDir });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^applied {2}0001_foundation$/m);
    expect(status.stdout).not.toContain('pending');
  }, 240_000);
});
