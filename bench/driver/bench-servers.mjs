// Starting the bench's servers for the token and resource scenarios, the same way in every script.
import { randomBytes } from 'node:crypto';
import { freePort } from '../../test/support/redis-server.mjs';
import { ServerProcess } from './processes.mjs';
import { discover } from './scenarios.mjs';

/** The servers' scripts: renkei from this checkout, the bare oidc-provider baseline. */
export const SERVER_SCRIPTS = {
  renkei: new URL('../servers/renkei.mjs', import.meta.url).pathname,
  baseline: new URL('../baseline/server.mjs', import.meta.url).pathname,
};

/**
 * Starts one server (`script`) on the run's Redis with a free port and the FAPI partner's key,
 * seeds it and reads its discovery: `{ name, process, issuer, endpoints, seed }`, as the scenarios
 * take a server. `clientSecret`: a random client secret of its own (the baseline's static client);
 * `env`, `core`, `execArgv`, `logFile` as ServerProcess.start takes them.
 */
export async function startBenchServer(name, script, { redisUrl, fapi, clientSecret = false, env = {}, ...options }) {
  const settings = { redisUrl, port: await freePort(), fapiJwk: fapi.publicJwk, ...(clientSecret ? { clientSecret: randomBytes(32).toString('base64url') } : {}) };
  const child = await ServerProcess.start(script, { ...options, env: { ...env, BENCH_SERVER: JSON.stringify(settings) } });
  return { name, process: child, issuer: child.issuer, endpoints: await discover(child.issuer), seed: await child.call('seed') };
}
