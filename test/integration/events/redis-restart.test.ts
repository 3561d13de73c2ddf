import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/redis-server.mjs';
import { createCustomer, registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from './event-receiver.js';
import { CREDENTIAL_CHANGE, fastEventsConfig, SESSION_REVOKED, subscribe } from './events-kit.js';

/** A redis-server of this test only, persisting every write (AOF, fsync always) in its own directory. */
class DurableRedis {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'renkei-aof-'));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await this.listening())) {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private listening(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ port: this.port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  /** SIGKILL: no chance to write anything more on the way out */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

let redis: DurableRedis;
let server: TestServer;
beforeAll(async () => {
  redis = new DurableRedis(await freePort());
  await redis.start();
  server = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_REDIS_URL: redis.url } });
});
afterAll(async () => {
  await server.close();
  await redis.kill();
});

describe('the outbox survives a Redis restart (AOF)', () => {
  it('delivers every event queued before Redis was killed, once, in order per grant', async () => {
    const client = await registerClient(server);
    const receiver = await new EventReceiver(server.issuer, client.clientId).start();
    try {
      receiver.mode = 'fail';
      await subscribe(server, client, receiver.url);
      const customer = await createCustomer(server);
      const grantIds = Array.from({ length: 5 }, () => randomUUID());
      for (const grantId of grantIds) {
        await server.app.events.credentialChanged(customer.sub, [{ clientId: client.clientId, grantId }], 'password');
        await server.app.events.sessionRevoked(customer.sub, { clientId: client.clientId, grantId }, 'password_changed');
      }
      expect((await server.app.eventOutbox.list(client.clientId)).queued.length).toBe(11);

      await redis.kill();
      await redis.start();
      receiver.mode = 'accept';
      await receiver.waitFor((sets) => sets.length === 11, 20_000);
      const jtis = receiver.accepted.map((s) => s.payload.jti);
      expect(new Set(jtis).size).toBe(11);
      for (const grantId of grantIds) {
        const types = receiver.accepted.filter((s) => (s.payload.sub_id as { session?: { id: string } }).session?.id === grantId).map((s) => Object.keys(s.payload.events)[0]);
        expect(types).toEqual([CREDENTIAL_CHANGE, SESSION_REVOKED]);
      }
    } finally {
      await receiver.close();
    }
  });
});
