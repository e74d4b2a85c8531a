// What runs before the server does: the Node.js check of `canteen` and `npm start`, and the compiled
// build in server/dist that `canteen` makes from the sources when they changed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `script` on a Node that says it is `version` (process.versions.node set before anything loads). */
function onNode(version: string, script: string, args: string[], cwd = root) {
  const fake = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;
  return spawnSync(process.execPath, ['--import', fake, script, ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('the Node.js check', () => {
  it.each([
    ['canteen', 'server/bin/canteen.mjs'],
    ['npm start', 'scripts/start.mjs'],
  ])('%s refuses a Node.js older than 20.19 with what to do, before doing anything', (name, script) => {
    for (const version of ['20.18.3', '18.20.4']) {
      const result = onNode(version, script, ['--help']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `${name}: Smart Canteen needs Node.js 20.19 or newer; this is Node.js ${version}`,
      );
      expect(result.stderr).toContain('Install a current Node.js LTS');
      expect(result.stdout).toBe('');
    }
  });

  it('lets 20.19 and anything newer through', () => {
    for (const version of ['20.19.0', '21.0.0']) {
      const result = onNode(version, 'server/bin/canteen.mjs', ['--help']);
      // stderr may carry the build's progress on a fresh clone (server/dist not built yet), never the refusal.
      expect(result.stderr).not.toContain('needs Node.js');
      expect(result.status, version).toBe(0);
      expect(result.stdout).toContain('Usage: canteen <command>');
    }
  });
});

describe('the compiled server', () => {
  // A copy of the server's sources beside the installed packages, so building it leaves this checkout alone.
  const copy = mkdtempSync(path.join(tmpdir(), 'canteen-build-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const server = path.join(copy, 'server');
  mkdirSync(server);
  for (const item of ['bin', 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(path.join(root, 'server', item), path.join(server, item), { recursive: true });
  }
  cpSync(path.join(root, 'tsconfig.base.json'), path.join(copy, 'tsconfig.base.json'));
  const canteen = (args: string[]) =>
    spawnSync(process.execPath, [path.join(server, 'bin/canteen.mjs'), ...args], {
      // PostgreSQL, only read: `migrate --status` creates nothing there.
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: POSTGRES_ADMIN_URL },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('is refused with what to do when it is not built and TypeScript is not installed', () => {
    const result = canteen(['--help']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'server/dist is not built, and TypeScript (a development dependency) is not installed',
    );
    expect(result.stderr).toContain('npm run build');
  });

  it('is built on first use, runs with its migrations, and is rebuilt only when a source changes', () => {
    for (const dir of ['node_modules', 'server/node_modules']) {
      symlinkSync(path.join(root, dir), path.join(copy, dir), 'dir');
    }
    const first = canteen(['migrate', '--status']);
    expect(first.stderr).toContain('building the server (tsc → server/dist)');
    // The compiled code finds every SQL migration.
    const migrations = readdirSync(path.join(server, 'src/db/migrations')).filter((f) => f.endsWith('.sql'));
    expect(
      first.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/^(applied|pending) {2}/, '')),
    ).toEqual(migrations.map((f) => f.replace(/\.sql$/, '')));
    expect(existsSync(path.join(server, 'dist/main.js'))).toBe(true);
    expect(existsSync(path.join(server, 'dist/app.test.js'))).toBe(false);

    const again = canteen(['--help']);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');

    writeFileSync(path.join(server, 'src/cli.ts'), '\n// changed after the build\n', { flag: 'a' });
    const changed = canteen(['--help']);
    expect(changed.status).toBe(0);
    expect(changed.stderr).toContain('building the server');
  }, 240_000);
});

describe('the embedded database a first `npm start` creates alongside the builds', () => {
  it('is the folder the server will open, and none when it exists or the server opens no folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'canteen-cluster-'));
    try {
      mkdirSync(path.join(dir, 'made'));
      writeFileSync(path.join(dir, 'made', 'PG_VERSION'), '17\n');
      const module = JSON.stringify(path.join(root, 'server/bin/embedded-database.mjs'));
      const script = `import { embeddedClusterToCreate as folder } from ${module};
        console.log(JSON.stringify([{}, { DATA_DIR: 'fresh' }, { DATA_DIR: 'made' }, { DATA_DIR: ':memory:' },
          { DATABASE_URL: 'postgres://db.example/canteen' }].map(folder)));`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual([path.join(dir, 'data'), path.join(dir, 'fresh'), null, null, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
