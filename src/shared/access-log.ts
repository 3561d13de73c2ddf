import { pino, type Logger } from 'pino';
import { isoTimestamp } from './logger.js';

/** What the access line of one request says: never its query or body, which can carry codes and secrets. */
export interface AccessRecord {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ip: string;
  readonly durationMs: number;
}

interface LineStream {
  write(chunk: string): unknown;
}

const INFO = 30;
/** a chunk this long is written at once rather than at the end of the event-loop turn */
const FLUSH_BYTES = 16 * 1024;

/** Access logs holding lines, flushed at exit: one set and one exit hook per process, however often this module is loaded (test runners load it afresh per file). */
function pendingLogs(): Set<{ flush(): void }> {
  const key = Symbol.for('renkei.access-log.pending');
  const holder = globalThis as unknown as Record<symbol, Set<{ flush(): void }> | undefined>;
  let pending = holder[key];
  if (!pending) {
    const logs = new Set<{ flush(): void }>();
    pending = holder[key] = logs;
    // registered at import, before pino's own exit hook (made with its first logger): held lines go out through the stream before it is closed
    process.once('exit', () => {
      for (const log of logs) log.flush();
    });
  }
  return pending;
}
const pending = pendingLogs();

/**
 * The `http.request` line of every request (and, through writeEvent, other per-request lines of
 * fixed fields), in the logger's format and to its destination, built without pino: its fields
 * are fixed and none is a secret, so it needs no redaction (which cost more CPU than the rest of
 * a discovery request).
 *
 * The lines of one event-loop turn are written together at its end (setImmediate), one write
 * instead of one per request; the exit hook writes whatever is held. Every other line (audit
 * events included) is handed to the destination at once, as before.
 */
export class AccessLog {
  private readonly stream: LineStream;
  private readonly prefix: string;
  private held = '';
  private scheduled = false;

  constructor(private readonly logger: Logger) {
    const internals = logger as unknown as Record<symbol, unknown>;
    this.stream = internals[pino.symbols.streamSym] as LineStream;
    this.prefix = internals[pino.symbols.chindingsSym] as string;
  }

  write(record: AccessRecord): void {
    if (this.logger.levelVal > INFO) return;
    this.hold(`{"level":${INFO}${isoTimestamp()}${this.prefix},"event":"http.request","request_id":${JSON.stringify(record.requestId)},"method":${JSON.stringify(record.method)},"path":${JSON.stringify(record.path)},"status":${record.status},"ip":${JSON.stringify(record.ip)},"duration_ms":${record.durationMs},"msg":"request"}\n`);
  }

  /**
   * An info line of the same kind for another frequent event: fields the caller vouches hold no
   * secret (ids, routes, addresses), so no redaction; undefined fields are left out, as pino does.
   */
  writeEvent(event: string, fields: Readonly<Record<string, string | number | undefined>>, msg: string): void {
    if (this.logger.levelVal > INFO) return;
    let line = `{"level":${INFO}${isoTimestamp()}${this.prefix},"event":${JSON.stringify(event)}`;
    for (const name in fields) {
      const value = fields[name];
      if (value !== undefined) line += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
    }
    this.hold(`${line},"msg":${JSON.stringify(msg)}}\n`);
  }

  private hold(line: string): void {
    this.held += line;
    if (this.held.length >= FLUSH_BYTES) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      pending.add(this);
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    pending.delete(this);
    if (!this.held) return;
    const chunk = this.held;
    this.held = '';
    this.stream.write(chunk);
  }
}
