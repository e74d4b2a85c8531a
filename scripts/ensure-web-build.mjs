// Builds the web app when its sources changed since the last build (the browser tests call this;
// `npm start` does the same through scripts/start.mjs, alongside the server's start).
import { buildWeb, webBuildIsStale } from './web-build.mjs';

if (webBuildIsStale()) {
  console.log('building the web app (once, after a change) …');
  try {
    await buildWeb({ quiet: false });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
