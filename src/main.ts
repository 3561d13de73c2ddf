import { requiredNodeProblem } from './shared/required-node.js';

// the server's modules are loaded only once the Node version is known to fit (see required-node.ts)
const problem = requiredNodeProblem();
if (problem) {
  process.stderr.write(problem + '\n');
  process.exit(1);
}
await import('./run-server.js');
