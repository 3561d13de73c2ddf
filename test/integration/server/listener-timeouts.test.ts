import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const HEADERS_TIMEOUT_MS = 800;
const REQUEST_TIMEOUT_MS = 1200;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    config: { server: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: 500, maxHeaderBytes: 4096 } },
  });
});
afterAll(() => server.close());

interface Opened {
  readonly socket: Socket;
  readonly received: () => string;
  /** ms from opening until the server closed the connection */
  readonly closed: Promise<number>;
}

/** The raw response split: status line, headers (lower-cased names), body (UTF-8). */
function parse(raw: string): { statusLine: string; headers: Map<string, string>; body: string } {
  const bytes = Buffer.from(raw, 'latin1');
  const end = bytes.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: bytes.subarray(end + 4).toString('utf8') };
}

/** A refused request gets the error page (in Japanese: its headers were never read), not a bare status line. */
function expectRefusalPage(raw: string, status: string, sentence: string): void {
  const { statusLine, headers, body } = parse(raw);
  expect(statusLine).toBe(`HTTP/1.1 ${status}`);
  expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(headers.get('connection')).toBe('close');
  expect(Number(headers.get('content-length'))).toBe(Buffer.byteLength(body, 'utf8'));
  expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(body).toContain(sentence);
  expect(body).toContain('<code>invalid_request</code>');
  expect(body).toContain(`<code>${headers.get('x-request-id')}</code>`);
  expect(body).toContain('0120-000-000');
  const logged = server.logs.events().find((line) => line.event === 'http.refused' && line.request_id === headers.get('x-request-id'));
  expect(logged).toMatchObject({ status: Number(status.slice(0, 3)) });
}

function open(): Promise<Opened> {
  const { hostname, port } = new URL(server.publicUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Sends `text` one byte at a time, every `everyMs`, until the socket closes. */
function dribble(socket: Socket, text: string, everyMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) return clearInterval(timer);
    socket.write(text[index++]!);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('slow and oversized requests (SPEC §7)', () => {
  it('closes a slowloris connection after the headers timeout while serving everyone else at once', async () => {
    const slow = await open();
    dribble(slow.socket, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}`, 100);

    // Served while the slow connection was still held open: nobody waited for it to be dropped.
    // (Counted, not timed: how long each answer takes depends on the machine's load.)
    let servedMeanwhile = 0;
    while (!slow.socket.destroyed) {
      const response = await fetch(`${server.issuer}/healthz`);
      expect(response.status).toBe(200);
      if (!slow.socket.destroyed) servedMeanwhile += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
    const closedAfter = await slow.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(closedAfter).toBeLessThan(HEADERS_TIMEOUT_MS + 1000);
    expectRefusalPage(slow.received(), '408 Request Timeout', 'リクエストの受信に時間がかかりすぎたため、処理を中断しました。');
    expect(servedMeanwhile).toBeGreaterThanOrEqual(3);
  });

  it('answers 408 to a request whose body does not arrive within the request timeout', async () => {
    const slow = await open();
    slow.socket.write('POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=');
    const closedAfter = await slow.closed;
    expect(closedAfter).toBeLessThan(REQUEST_TIMEOUT_MS + 1000);
    expectRefusalPage(slow.received(), '408 Request Timeout', 'リクエストの受信に時間がかかりすぎたため、処理を中断しました。');
  });

  it('answers 431 to request headers over the limit', async () => {
    const big = await open();
    big.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(8192)}\r\n\r\n`);
    await big.closed;
    expectRefusalPage(big.received(), '431 Request Header Fields Too Large', 'リクエストの内容に誤りがあるため、処理を続けられません。');
  });

  it('answers 400 with the error page to a request Node cannot parse', async () => {
    const garbled = await open();
    garbled.socket.write('GET /healthz HTTP/1.1\r\nHost x\r\n\r\n');
    await garbled.closed;
    expectRefusalPage(garbled.received(), '400 Bad Request', 'リクエストの内容に誤りがあるため、処理を続けられません。');
  });

  it('answers 400 with the error page to an HTTP/1.1 request with no Host or two (RFC 9112 §3.2); HTTP/1.0 needs none', async () => {
    for (const request of ['GET /healthz HTTP/1.1\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n']) {
      const refused = await open();
      refused.socket.write(request);
      await refused.closed;
      expectRefusalPage(refused.received(), '400 Bad Request', 'リクエストの内容に誤りがあるため、処理を続けられません。');
    }
    const old = await open();
    old.socket.write('GET /healthz HTTP/1.0\r\n\r\n');
    await old.closed;
    expect(old.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers 400 with the error page to CONNECT (no tunnels here), logged as refused', async () => {
    const tunnel = await open();
    tunnel.socket.write('CONNECT internal.example:443 HTTP/1.1\r\nHost: internal.example:443\r\n\r\n');
    await tunnel.closed;
    expectRefusalPage(tunnel.received(), '400 Bad Request', 'リクエストの内容に誤りがあるため、処理を続けられません。');
    expect(server.logs.events().filter((line) => line.event === 'http.refused' && line.reason === 'CONNECT_METHOD')).toHaveLength(1);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const idle = await open();
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAfter = await idle.closed;
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfter).toBeLessThan(HEADERS_TIMEOUT_MS + 1000);
  });
});
