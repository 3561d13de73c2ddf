#!/usr/bin/env node
// The `renkei` operator CLI. oidc-provider's server needs Node.js 24; so that the CLI behaves the
// same everywhere, an older system `node` hands over to the project's own Node 24 binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    process.stderr.write(`renkei needs Node.js 24 (this is ${process.version}); run \`npm ci\` in the project first\n`);
    process.exit(2);
  }
  const result = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

// `renkei client list | head` closes the pipe early: stop quietly, as other command-line tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const { runCli } = await import('../dist/src/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
