/**
 * Runs before anything else is loaded: the server's modules need Node.js 24 (node:crypto argon2,
 * oidc-provider 9), and an older `node` would otherwise stop at a SyntaxError deep inside them.
 * Keep this file free of imports that an older Node cannot load.
 */
export const REQUIRED_NODE_MAJOR = 24;

export function requiredNodeProblem(version = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return undefined;
  return `renkei needs Node.js ${REQUIRED_NODE_MAJOR} (this is v${version}): start it with \`npm start\`, or run node_modules/node/bin/node dist/src/main.js after \`npm ci\``;
}
