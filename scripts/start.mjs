// `npm start`: checks Node.js, builds what is stale, and runs `canteen start` from the compiled server.
// The slow steps of a first start that need none of the server's code run side by side, each in a child
// process: the web app's build (Vite), the server's build (tsc) and, on an empty data folder, creating the
// embedded database (PGlite's initdb). The server then migrates, loads the demo hospital and starts serving
// once the web build is done too.
import { requireSupportedNode } from '../server/bin/node-version.mjs';

requireSupportedNode('npm start');
const { buildWeb, webBuildIsStale } = await import('./web-build.mjs');
const { ensureServerBuild } = await import('../server/bin/server-build.mjs');
const { createEmbeddedCluster, embeddedClusterToCreate } = await import('../server/bin/embedded-database.mjs');

const args = process.argv.slice(2);
let webBuild;
if (webBuildIsStale()) {
  console.log('building the web app alongside (once, after a change) …');
  webBuild = buildWeb({ quiet: true, background: true }).then((seconds) =>
    console.log(`web app built in ${seconds.toFixed(1)} s`),
  );
  // The server awaits it before serving; until then a failure must not count as unhandled.
  webBuild.catch(() => {});
}
const serverBuilt = ensureServerBuild((line) => console.log(line));
// `npm start -- --help` starts nothing: only a plain start creates the database.
const cluster = args.length ? null : embeddedClusterToCreate();
let clusterCreated;
if (cluster) {
  console.log(`creating the embedded database in ${cluster} (first start only) …`);
  clusterCreated = createEmbeddedCluster(cluster).then((seconds) =>
    console.log(`embedded database created in ${seconds.toFixed(1)} s`),
  );
}
// Both settle before anything is reported: a failed build never cuts a cluster's creation short.
const failed = (await Promise.allSettled([serverBuilt, clusterCreated])).find((r) => r.status === 'rejected');
if (failed) {
  console.error(`npm start: ${failed.reason.message}`);
  process.exit(1);
}
console.log('starting Smart Canteen …');
const { run } = await import('../server/dist/main.js');
await run(['start', ...args], { webBuild });
