import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';

// a server of its own: the first request of each path below is oidc-provider's own answer
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Exact {
  readonly statusLine: string;
  /** header lines as sent (names as written, in order), without those that differ per request */
  readonly headers: readonly string[];
  readonly body: Buffer;
}

const PER_REQUEST = new Set(['date', 'x-request-id', 'x-fapi-interaction-id']);

function exactly(path: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Promise<Exact> {
  const { hostname, port } = new URL(server.issuer);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!PER_REQUEST.has(res.rawHeaders[i]!.toLowerCase())) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ statusLine: `${res.statusCode} ${res.statusMessage}`, headers: lines, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const PATHS = ['/jwks', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

describe('discovery and the JWKS answered from memory', () => {
  it('are byte for byte what oidc-provider answered, headers included', async () => {
    for (const path of PATHS) {
      const fromProvider = await exactly(path);
      expect(fromProvider.statusLine).toBe('200 OK');
      expect(fromProvider.headers).toEqual(expect.arrayContaining(['Access-Control-Allow-Origin: *', 'Vary: Origin', 'Cache-Control: no-store']));
      for (let i = 0; i < 3; i++) expect(await exactly(path)).toEqual(fromProvider);
      // with an Origin, oidc-provider answers every time (CORS echoes the origin): the same but for that header
      const withOrigin = await exactly(path, { headers: { origin: 'https://partner.example' } });
      expect(withOrigin.body.equals(fromProvider.body)).toBe(true);
      expect(withOrigin.headers).toEqual(fromProvider.headers.map((line) => (line === 'Access-Control-Allow-Origin: *' ? 'Access-Control-Allow-Origin: https://partner.example' : line)));
      const head = await exactly(path, { method: 'HEAD' });
      expect(head.headers).toEqual(fromProvider.headers);
      expect(head.body.length).toBe(0);
    }
    const jwks = await exactly('/jwks');
    expect(jwks.headers).toContain('Content-Type: application/jwk-set+json; charset=utf-8');
  });

  it('still count in the metrics as the provider routes they are', async () => {
    await exactly('/jwks');
    const metrics = await (await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${server.adminToken.token}` } })).text();
    const jwksCount = /renkei_http_requests_total\{listener="public",route="oidc:jwks",status="200"\} (\d+)/.exec(metrics);
    expect(Number(jwksCount?.[1])).toBeGreaterThanOrEqual(5);
    expect(metrics).not.toMatch(/route="unmatched",status="200"/);
  });
});
