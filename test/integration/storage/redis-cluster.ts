import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../support/redis-server.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClusterNode {
  readonly port: number;
  readonly id: string;
  readonly client: Redis;
}

export interface RedisClusterHandle {
  /** the node URLs, comma-separated, as RENKEI_REDIS_URL takes them */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** the master currently serving a slot */
  ownerOf(slot: number): Promise<ClusterNode>;
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`redis cluster: ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

interface NodeProcess {
  readonly child: ChildProcess;
  /** the end of what redis-server printed, for the error when the cluster does not come up */
  output(): string;
}

function startNode(dir: string, port: number, busPort: number): NodeProcess {
  const child = spawn('redis-server', [
    '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1',
    '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000',
    '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-2000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => printed };
}

/** What each node's process says about itself: port, exit, its last lines. */
function describeNodes(ports: readonly number[], nodes: readonly NodeProcess[]): string {
  return nodes.map(({ child, output }, i) => {
    const lines = output().trim().split('\n').slice(-3).join(' / ');
    return `node ${ports[i]}: ${child.exitCode === null && child.signalCode === null ? 'running' : `exited (${child.exitCode ?? child.signalCode})`}; ${lines}`;
  }).join('\n');
}

/**
 * A throw-away Redis Cluster of `masters` masters and no replicas, on free ports, in a temp dir.
 * Started a second time, on other ports, when the first does not come up: twice in full runs a
 * node did not answer, or the cluster did not reach `ok`, within 10 s (the error says what each
 * node printed).
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  try {
    return await startClusterOnce(masters);
  } catch (error) {
    return await startClusterOnce(masters).catch((again: Error) => {
      throw new Error(`${(error as Error).message}; started again: ${again.message}`);
    });
  }
}

async function startClusterOnce(masters: number): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-cluster-'));
  const ports: number[] = [];
  const used = new Set<number>();
  // each port checked free, and none handed out twice (nothing is listening yet when the next is chosen)
  const unusedPort = async () => {
    for (;;) {
      const port = await freePort();
      if (!used.has(port)) {
        used.add(port);
        return port;
      }
    }
  };
  const processes: NodeProcess[] = [];
  for (let i = 0; i < masters; i += 1) {
    const [port, busPort] = [await unusedPort(), await unusedPort()];
    ports.push(port);
    processes.push(startNode(dir, port, busPort));
  }
  const clients = ports.map((port) => new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 50 }));
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(processes.map(({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(clients.map((client) => waitFor(async () => (await client.ping()) === 'PONG', 'a node did not answer')));
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 15_000 });
    await waitFor(async () => {
      const infos = await Promise.all(clients.map((client) => client.cluster('INFO')));
      return infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`));
    }, 'state did not become ok');
  } catch (error) {
    const nodes = describeNodes(ports, processes);
    await stop();
    throw new Error(`${(error as Error).message}\n${nodes}`);
  }

  const nodes = await Promise.all(clients.map(async (client, i) => ({ port: ports[i]!, id: (await client.cluster('MYID')) as string, client })));
  return {
    url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    nodes,
    async ownerOf(slot) {
      const ranges = await nodes[0]!.client.cluster('SLOTS');
      const [, , [, port]] = ranges.find(([from, to]) => slot >= from && slot <= to)!;
      return nodes.find((node) => node.port === port)!;
    },
    stop,
  };
}

export interface MigrationPace {
  /** keys moved per MIGRATE */
  readonly batch: number;
  /** pause between batches */
  readonly pauseMs: number;
  /** how long the slot stays open (MIGRATING/IMPORTING) before the first batch and after the last */
  readonly holdMs: number;
}

/**
 * Moves one slot from its owner to `target` the way redis-cli --cluster reshard does, slowly:
 * IMPORTING/MIGRATING, MIGRATE in small batches with pauses, then SETSLOT NODE everywhere.
 * Returns how many keys moved.
 */
export async function migrateSlot(cluster: RedisClusterHandle, slot: number, target: ClusterNode, pace: MigrationPace): Promise<number> {
  const source = await cluster.ownerOf(slot);
  if (source.id === target.id) throw new Error(`slot ${slot} is already on ${target.port}`);
  await target.client.cluster('SETSLOT', slot, 'IMPORTING', source.id);
  await source.client.cluster('SETSLOT', slot, 'MIGRATING', target.id);
  await sleep(pace.holdMs);
  let moved = 0;
  for (;;) {
    const keys = (await source.client.cluster('GETKEYSINSLOT', slot, pace.batch)) as string[];
    if (keys.length === 0) break;
    await source.client.migrate('127.0.0.1', target.port, '', 0, 5000, 'KEYS', ...keys);
    moved += keys.length;
    await sleep(pace.pauseMs);
  }
  await sleep(pace.holdMs);
  await target.client.cluster('SETSLOT', slot, 'NODE', target.id);
  await source.client.cluster('SETSLOT', slot, 'NODE', target.id);
  for (const node of cluster.nodes) if (node !== source && node !== target) await node.client.cluster('SETSLOT', slot, 'NODE', target.id);
  return moved;
}
