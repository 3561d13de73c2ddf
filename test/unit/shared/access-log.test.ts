import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { AccessLog } from '../../../src/shared/access-log.js';
import { createLogger } from '../../../src/shared/logger.js';

class Writes extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    done();
  }
}

const record = (n: number) => ({ requestId: `req-${n}`, method: 'GET', path: `/p"${n}`, status: 200, ip: '127.0.0.1', durationMs: 1.5 });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the access log', () => {
  it('writes the lines of one event-loop turn together at its end, in the logger\'s format', async () => {
    const destination = new Writes();
    const logger = createLogger({ level: 'info', destination });
    const log = new AccessLog(logger);
    log.write(record(1));
    log.write(record(2));
    expect(destination.chunks).toEqual([]);
    await turn();
    expect(destination.chunks).toHaveLength(1);
    const lines = destination.chunks[0]!.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([1, 2].map((n) => ({
      level: 30, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'renkei',
      event: 'http.request', request_id: `req-${n}`, method: 'GET', path: `/p"${n}`, status: 200, ip: '127.0.0.1', duration_ms: 1.5, msg: 'request',
    })));
    // the same fields, in the same order, as a pino line of the same logger
    logger.info({ event: 'http.request', request_id: 'req-1', method: 'GET', path: '/p"1', status: 200, ip: '127.0.0.1', duration_ms: 1.5 }, 'request');
    const pinoLine = destination.chunks[1]!;
    const ours = destination.chunks[0]!.split('\n')[0]!;
    expect(ours.replace(/"time":"[^"]*"/, '')).toBe(pinoLine.trim().replace(/"time":"[^"]*"/, ''));
  });

  it('writes nothing above the info level, and at once when a turn holds many lines', async () => {
    const quiet = new Writes();
    new AccessLog(createLogger({ level: 'warn', destination: quiet })).write(record(1));
    await turn();
    expect(quiet.chunks).toEqual([]);

    const busy = new Writes();
    const log = new AccessLog(createLogger({ level: 'info', destination: busy }));
    for (let n = 0; n < 200; n++) log.write(record(n));
    expect(busy.chunks.length).toBeGreaterThan(0);
    await turn();
    expect(busy.chunks.join('').split('\n').filter(Boolean)).toHaveLength(200);
  });
});
