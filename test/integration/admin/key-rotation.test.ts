import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { generateKeyFiles } from '../../../src/keys/generate-keys.js';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let keysDir: string;
let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  keysDir = mkdtempSync(join(tmpdir(), 'renkei-rotation-'));
  await generateKeyFiles(keysDir);
  const options = { config: { keys: { checkIntervalSeconds: 1 } }, env: { RENKEI_KEYS_DIR: keysDir } };
  first = await startTestServer(options);
  second = await startTestServer(options);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${first.adminUrl}/admin/v1${path}`, { ...init, headers: { authorization: `Bearer ${first.adminToken.token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

async function jwksKids(server: TestServer): Promise<string[]> {
  const { keys } = (await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
  for (const key of keys) expect(key.d).toBeUndefined();
  return keys.map((k) => k.kid);
}

async function idTokenKid(server: TestServer): Promise<string> {
  const client = await registerClient(server);
  const sub = await seedCustomer(server);
  const { code, verifier } = await issueCode(server, client, sub);
  const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
  expect(tokens.status).toBe(200);
  return decodeProtectedHeader(String(tokens.json.id_token)).kid!;
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 6000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await sleep(200);
  }
}

describe('staged signing-key rotation (renkei keys rotate)', () => {
  it('publishes the new keys first on every instance, signs with them only after the delay, keeps the old ones published', async () => {
    const before = (await (await admin('/keys')).json()) as { kid: string; alg: string; status: string }[];
    expect(before.map((k) => k.status)).toEqual(['signing', 'signing', 'signing', 'signing']);
    const oldRs256 = before.find((k) => k.alg === 'RS256')!.kid;
    expect(await idTokenKid(first)).toBe(oldRs256);

    const rotated = await admin('/keys/rotate', { method: 'POST', body: JSON.stringify({ delay_seconds: 3 }) });
    expect(rotated.status).toBe(200);
    const { added, retiring } = (await rotated.json()) as { added: { kid: string; alg: string }[]; retiring: { kid: string }[] };
    expect(added.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    expect(retiring.map((k) => k.kid).sort()).toEqual(before.map((k) => k.kid).sort());
    const newRs256 = added.find((k) => k.alg === 'RS256')!.kid;

    for (const server of [first, second]) {
      const kids = await eventually(() => jwksKids(server), (k) => k.includes(newRs256));
      expect(kids).toEqual(expect.arrayContaining([oldRs256, newRs256]));
    }
    expect(await idTokenKid(second)).toBe(oldRs256);
    const during = (await (await admin('/keys')).json()) as { kid: string; status: string }[];
    expect(during.find((k) => k.kid === newRs256)?.status).toBe('pending');

    for (const server of [first, second]) {
      expect(await eventually(() => idTokenKid(server), (kid) => kid === newRs256, 8000)).toBe(newRs256);
      expect(await jwksKids(server)).toContain(oldRs256);
    }
    const after = (await (await admin('/keys')).json()) as { kid: string; status: string }[];
    expect(after.find((k) => k.kid === oldRs256)?.status).toBe('published');
    expect(first.logs.text).toContain('"event":"keys.rotated"');
  });
});
