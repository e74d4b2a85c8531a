// `npm start`: checks Node.js, builds what is stale, and runs `canteen start` from the compiled server.
// The web app's build, the longest step of a first start, runs in a child process alongside the
// server's own work (its build, creating the database, migrations, the demo hospital); the server
// starts serving once both are done.
import { requireSupportedNode } from '../server/bin/node-version.mjs';

requireSupportedNode('npm start');
const { buildWeb, webBuildIsStale } = await import('./web-build.mjs');
const { ensureServerBuild } = await import('../server/bin/server-build.mjs');

let webBuild;
if (webBuildIsStale()) {
  console.log('building the web app alongside (once, after a change) …');
  webBuild = buildWeb({ quiet: true }).then((seconds) => console.log(`web app built in ${seconds.toFixed(1)} s`));
  // The server awaits it before serving; until then a failure must not count as unhandled.
  webBuild.catch(() => {});
}
try {
  await ensureServerBuild((line) => console.log(line));
} catch (error) {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
}
console.log('starting Smart Canteen …');
const { run } = await import('../server/dist/main.js');
await run(['start', ...process.argv.slice(2)], { webBuild });
