// Server processes for the bench: forked with an IPC channel for the setup protocol, pinned to a
// core with taskset when the machine has one, and their CPU time read from /proc.
import { execFileSync, fork } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { startRedisServer } from '../../test/support/redis-server.mjs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Pins every thread of `pid` (and the threads it starts later) to `core`; false when it cannot. */
export function pin(pid, core) {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The layout of the tools that measure one server on core 1: this process (the load) and a
 * redis-server of its own on core 0. Returns the redis-server.
 */
export async function startRedisBesideDriver() {
  pin(process.pid, 0);
  const redisServer = await startRedisServer();
  pin(redisServer.process.pid, 0);
  return redisServer;
}

/** utime + stime of a process (all its threads), in microseconds; undefined without /proc. */
export function cpuMicros(pid) {
  try {
    return statCpuMicros(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** utime + stime in microseconds from the text of a /proc …/stat file. */
function statCpuMicros(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/** utime + stime of one thread of `pid` (its main thread: `tid` = `pid`), in microseconds; undefined without /proc. */
export function threadCpuMicros(pid, tid) {
  try {
    return statCpuMicros(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU time (utime + stime, µs) of `pid` by kind of thread: the event loop (the main thread), libuv's
 * pool (`libuv-worker`: async crypto such as WebCrypto's RSA signatures, async Argon2id), V8's
 * helpers (`V8Worker`, `DelayedTaskSche`: concurrent GC and compilation) and the rest (worker_threads
 * and their own helpers); undefined without /proc.
 */
export function cpuMicrosByThreadKind(pid) {
  try {
    const byKind = { eventLoop: 0, libuvPool: 0, v8Helpers: 0, other: 0 };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // the thread ended meanwhile
      }
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const kind = tid === String(pid) ? 'eventLoop' : name === 'libuv-worker' ? 'libuvPool' : /^(V8Worker|DelayedTaskSche)/.test(name) ? 'v8Helpers' : 'other';
      byKind[kind] += statCpuMicros(stat);
    }
    return byKind;
  } catch {
    return undefined;
  }
}

/**
 * How often the main thread of `pid` has been switched out (voluntary + involuntary context
 * switches): about once each time the event loop waits for I/O and is woken again; undefined without /proc.
 */
export function eventLoopSwitches(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
    return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1]) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1]);
  } catch {
    return undefined;
  }
}

/** A forked server speaking the setup protocol (bench/servers/setup-channel.mjs). */
export class ServerProcess {
  /** `logFile` takes the server's stdout (appended; BENCH_LOG_FILE or /dev/null by default), `execArgv` e.g. --cpu-prof. */
  static async start(script, { env = {}, core, execArgv = [], logFile = process.env.BENCH_LOG_FILE ?? '/dev/null' }) {
    const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', openSync(logFile, 'a'), 'inherit', 'ipc'], execArgv });
    const ready = await new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`${script} exited (${code}) before it was ready`));
      child.once('exit', onExit);
      child.on('message', function onReady(message) {
        if (!message?.ready) return;
        child.off('message', onReady);
        child.off('exit', onExit);
        resolve(message);
      });
    });
    const pinned = core === undefined ? false : pin(child.pid, core);
    return new ServerProcess(child, ready, pinned);
  }

  constructor(child, ready, pinned) {
    this.child = child;
    this.name = ready.name;
    this.issuer = ready.issuer;
    this.pid = child.pid;
    this.pinned = pinned;
    this.nextId = 0;
    this.pending = new Map();
    child.on('message', ({ id, ok, result, error }) => {
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      if (ok) call.resolve(result);
      else call.reject(new Error(`${this.name}: ${error}`));
    });
    child.on('exit', (code, signal) => {
      for (const call of this.pending.values()) call.reject(new Error(`${this.name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  call(op, args = {}) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, args });
    });
  }

  cpuMicros() {
    return cpuMicros(this.pid);
  }

  /** The event loop's share: the main thread's CPU time. */
  eventLoopCpuMicros() {
    return threadCpuMicros(this.pid, this.pid);
  }

  /** see eventLoopSwitches */
  eventLoopSwitches() {
    return eventLoopSwitches(this.pid);
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
