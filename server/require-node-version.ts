// Loaded first by the server's entry points: the store needs `node:sqlite`, which Node.js has
// without a flag since 22.13. On an older Node the require of it would fail with a bare
// "No such built-in module"; this says what to do instead.
const MINIMUM_NODE = [22, 13] as const;

/** Why `version` cannot run the server, or undefined when it can. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1])) {
    return undefined;
  }
  return (
    `the grant server needs Node.js ${MINIMUM_NODE.join(".")} or newer for node:sqlite; ` +
    `this is Node.js ${version}. Install Node.js ${MINIMUM_NODE.join(".")} or newer ` +
    "(24 LTS recommended) and run grants-server, or the program that starts the server, with it. " +
    "In a clone of the pulumi-grants repository, `npm run server` uses the Node 24 that " +
    "scripts/setup installs."
  );
}

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) throw new Error(problem);
