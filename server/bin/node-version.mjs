// The Node.js the platform promises (package.json "engines"), checked before anything else runs: on an
// older Node the server would fail later with an error that names a missing API, not the real cause.
// Plain JavaScript that old Node versions can still parse and run far enough to print the message.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The lowest version `engines.node` accepts, as [major, minor, patch]; it is written `>=MAJOR.MINOR[.PATCH]`. */
function minimumNode() {
  const range = pkg.engines.node;
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`engines.node must read ">=MAJOR.MINOR", not "${range}"`);
  return match.slice(1).map((part) => Number(part ?? 0));
}

/** Null when `version` (e.g. "20.19.1") is new enough, else the message for the user. */
function nodeVersionProblem(version) {
  const have = version.split('.').map(Number);
  const need = minimumNode();
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) > need[i]) return null;
    if ((have[i] ?? 0) < need[i]) {
      const wanted = need[2] ? need.join('.') : need.slice(0, 2).join('.');
      return (
        `Smart Canteen needs Node.js ${wanted} or newer; this is Node.js ${version}` +
        ` (${process.execPath}).\nInstall a current Node.js LTS from https://nodejs.org (or: nvm install --lts)` +
        ' and run the command again.'
      );
    }
  }
  return null;
}

/** Exits with a clear message on a Node.js older than the promise. */
export function requireSupportedNode(program) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem === null) return;
  process.stderr.write(`${program}: ${problem}\n`);
  process.exit(1);
}
