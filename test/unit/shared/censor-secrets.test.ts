import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/shared/logger.js';

class Lines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
    done();
  }
}

describe('secret fields in log lines', () => {
  it('censor whatever lies deeper than the walk goes', () => {
    const out = new Lines();
    const logger = createLogger({ level: 'info', destination: out });
    let deep: Record<string, unknown> = { password: 'SECRET-DEEP', note: 'plain' };
    for (let level = 0; level < 12; level++) deep = { next: deep };
    logger.info({ event: 'x', deep }, 'deep');
    expect(JSON.stringify(out.lines)).not.toMatch(/SECRET-|plain/);
    expect(JSON.stringify(out.lines)).toContain('[REDACTED]');
  });

  it('are censored at any depth, in arrays and in a logged error, without touching the logged objects', () => {
    const out = new Lines();
    const logger = createLogger({ level: 'info', destination: out });
    const error = Object.assign(new Error('store refused'), { code: 'SECRET-CODE', detail: { refresh_token: 'SECRET-RT' } });
    const fields = {
      event: 'x',
      a: { b: { c: { d: { password: 'SECRET-PW' } } } },
      list: [{ client_secret: 'SECRET-CS' }, 'plain'],
      headers: { 'proxy-authorization': 'SECRET-PA', 'x-renkei-admin-token': 'SECRET-AT', accept: 'text/html' },
      err: error,
    };
    logger.error(fields, 'failed');
    logger.error(error);
    const text = JSON.stringify(out.lines);
    expect(text).not.toMatch(/SECRET-/);
    const [line, direct] = out.lines as [Record<string, any>, Record<string, any>];
    expect(line.a.b.c.d.password).toBe('[REDACTED]');
    expect(line.list).toEqual([{ client_secret: '[REDACTED]' }, 'plain']);
    expect(line.headers).toEqual({ 'proxy-authorization': '[REDACTED]', 'x-renkei-admin-token': '[REDACTED]', accept: 'text/html' });
    expect(line.err).toMatchObject({ type: 'Error', message: 'store refused', code: '[REDACTED]', detail: { refresh_token: '[REDACTED]' } });
    expect(String(line.err.stack)).toContain('store refused');
    expect(direct).toMatchObject({ msg: 'store refused', err: { type: 'Error', code: '[REDACTED]' } });
    expect(fields.a.b.c.d.password).toBe('SECRET-PW');
    expect(error.code).toBe('SECRET-CODE');
  });

  it('leave a line without secrets as it is, child bindings included', () => {
    const out = new Lines();
    createLogger({ level: 'info', destination: out }).child({ audit: true }).info({ event: 'login.success', login_id: 'hanako', ip: '192.0.2.1' }, 'login.success');
    expect(out.lines).toEqual([{ level: 30, time: expect.any(String), service: 'renkei', audit: true, event: 'login.success', login_id: 'hanako', ip: '192.0.2.1', msg: 'login.success' }]);
  });
});

describe('a log line holding a graph', () => {
  it('is censored wherever an object is reached from, cycles included, each object walked once', () => {
    const out = new Lines();
    const node: Record<string, unknown> = { token: 'SECRET-T' };
    node.self = node;
    const wide = Array.from({ length: 50 }, () => ({ children: Array.from({ length: 50 }, () => node) }));
    const started = performance.now();
    createLogger({ level: 'info', destination: out }).info({ event: 'graph', node: { inner: node }, wide }, 'graph');
    expect(performance.now() - started).toBeLessThan(500);
    expect(JSON.stringify(out.lines)).not.toContain('SECRET-T');
    expect(out.lines[0]).toMatchObject({ node: { inner: { token: '[REDACTED]', self: '[Circular]' } } });
  });

  it('keeps what serializes through toJSON as it serializes', () => {
    const out = new Lines();
    const at = new Date('2026-11-30T00:00:00.000Z');
    createLogger({ level: 'info', destination: out }).info({ event: 'dated', at, nested: { at, password: 'SECRET-P' } }, 'dated');
    expect(out.lines[0]).toMatchObject({ at: '2026-11-30T00:00:00.000Z', nested: { at: '2026-11-30T00:00:00.000Z', password: '[REDACTED]' } });
  });
});
