// Requests at a steady rate (open loop): the i-th request is due at start + i / rate, whatever
// the answers before it did, and its latency counts from when it was due, so a slow answer that
// holds a connection shows in the latencies after it too. autocannon's rate limit does not do
// this: each connection sends back to back until its share of the second is used up, then waits
// for the next second, so half the rate is the full rate for half of each second.
import { Agent, request as httpRequest } from 'node:http';
import { quantile } from './report.mjs';

/** One request on `agent`; resolves to the status code (0 when the request failed). */
function send(agent, url, { method = 'GET', headers = {}, body }) {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent, method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const percentile = (sorted, q) => (sorted.length ? Math.round(quantile(sorted, q)) : undefined);

/** p50 and p99 over the latencies of several runSteadyLoad runs together, and their requests. */
export function pooledLatencies(runs) {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), requests: latencies.length, failed: runs.reduce((sum, run) => sum + run.failed, 0) };
}

/**
 * `request` ({ url, method, headers, body }, as runLoad takes it; with `pool`, one item per request
 * and at most as many requests as it holds) sent `rate` times
 * a second for `seconds` over at most `connections` keep-alive connections (a request due while
 * all are busy waits for one, and that wait counts in its latency); the server's CPU around it and
 * the latencies in ms (sorted).
 */
export async function runSteadyLoad(server, { request, pool, rate, seconds, connections }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(request.url);
  const total = Math.min(Math.max(1, Math.round(rate * seconds)), pool ? pool.length : Infinity);
  const nth = (i) => (pool ? { ...request, headers: { ...request.headers, ...pool[i].headers }, body: pool[i].body ?? request.body } : request);
  const latencies = [];
  let failed = 0;
  const cpuBefore = server.cpuMicros();
  const started = performance.now();
  const answers = [];
  for (let sent = 0; sent < total;) {
    const now = performance.now();
    for (; sent < total && started + (sent * 1000) / rate <= now; sent++) {
      const due = started + (sent * 1000) / rate;
      answers.push(send(agent, url, nth(sent)).then((status) => {
        if (status >= 200 && status < 300) latencies.push(performance.now() - due);
        else failed++;
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(answers);
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuMicros();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rate,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: latencies.length,
    failed,
    cpuMicrosPerRequest: cpuBefore === undefined || !latencies.length ? undefined : (cpuAfter - cpuBefore) / latencies.length,
    seconds: elapsed,
    latencies,
  };
}
