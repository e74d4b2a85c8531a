#!/usr/bin/env node
// The `canteen` command. It runs the compiled JavaScript in server/dist; in a checkout with TypeScript
// installed, a missing or stale build is made first (bin/server-build.mjs), so `npx canteen …` works
// right after `npm ci` and always runs the sources as they are.
import { requireSupportedNode } from './node-version.mjs';

requireSupportedNode('canteen');
const { ensureServerBuild } = await import('./server-build.mjs');
try {
  await ensureServerBuild((line) => process.stderr.write(`${line}\n`));
} catch (error) {
  process.stderr.write(`canteen: ${error.message}\n`);
  process.exit(1);
}
const { run } = await import('../dist/main.js');
await run(process.argv.slice(2));
