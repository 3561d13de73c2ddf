import type { ChildProcess } from 'node:child_process';

export interface RedisServerHandle {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number>;
export function startRedisServer(port?: number): Promise<RedisServerHandle>;
