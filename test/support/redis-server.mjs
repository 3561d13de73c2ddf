// Plain JavaScript: jest loads global setup natively, before any TypeScript transform.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999): the kernel gives those to every outgoing connection,
// so a port found free there could be taken by another worker's Redis or HTTP client before the
// test server binds it (seen: "listen EADDRINUSE" in a full run).
const LOW_PORTS = { from: 20000, to: 32767 };

function tryListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/** @returns {Promise<number>} a TCP port that was free a moment ago on 127.0.0.1 */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(LOW_PORTS.from + Math.floor(Math.random() * (LOW_PORTS.to - LOW_PORTS.from + 1)));
    if (port) return port;
  }
  const port = await tryListen(0);
  if (!port) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a throw-away redis-server (no persistence, noeviction) on the given or a free port. */
export async function startRedisServer(port) {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const failed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start redis-server (is it installed? see README): ${error.message}`)));
  });
  await Promise.race([waitForPort(chosen, 10_000), failed]);
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
