// One timed load run with autocannon against one server, with the server's CPU time around it.
import autocannon from 'autocannon';

/**
 * `request`: { url, method, headers, body } sent as is, or with `pool` (an array of
 * { headers?, body? }) one pool item per request, never reused: the run then ends when the pool
 * is used up or the time is over, whichever comes first.
 */
export async function runLoad(server, { request, pool, connections, seconds, overallRate }) {
  const options = {
    url: request.url, method: request.method ?? 'GET', headers: request.headers ?? {}, body: request.body,
    connections, sampleInt: 100, ...(overallRate ? { overallRate } : {}),
  };
  if (pool) {
    let next = 0;
    options.amount = Math.max(connections, pool.length - connections);
    options.requests = [{
      setupRequest: (req) => {
        const item = pool[Math.min(next++, pool.length - 1)];
        return { ...req, headers: { ...options.headers, ...item.headers }, body: item.body ?? req.body };
      },
    }];
  } else {
    options.duration = seconds;
  }
  const cpuBefore = server.cpuMicros();
  const driverBefore = process.cpuUsage();
  let lastResponseAt = 0;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', () => {
      lastResponseAt = Date.now();
    });
    if (pool) setTimeout(() => instance.stop(), seconds * 1000).unref();
  });
  const cpuAfter = server.cpuMicros();
  const driver = process.cpuUsage(driverBefore);
  // autocannon notices the end only at its next sample tick: the run lasted until the last response
  const elapsed = (Math.min(lastResponseAt || Infinity, new Date(result.finish).getTime()) - new Date(result.start).getTime()) / 1000;
  const ok = result['2xx'];
  return {
    rps: ok / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: ok,
    failed: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest: cpuBefore === undefined || !ok ? undefined : (cpuAfter - cpuBefore) / ok,
    seconds: elapsed,
    // how much of a core each side used: a server well below 1 was not the limit (a busy machine, or the load generator)
    serverCoreShare: cpuBefore === undefined ? undefined : (cpuAfter - cpuBefore) / 1e6 / elapsed,
    driverCoreShare: (driver.user + driver.system) / 1e6 / elapsed,
    poolExhausted: pool ? ok + result.non2xx >= pool.length - connections : false,
  };
}
