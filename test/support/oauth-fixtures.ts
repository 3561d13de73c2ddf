import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TestServer } from './test-server.js';

export const REDIRECT_URI = 'https://partner.example/callback';

export interface TestClient {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Registers a partner client the way operators do (through the client registry). */
export async function registerClient(server: TestServer, { isPublic = false } = {}): Promise<TestClient> {
  const { record, clientSecret } = await server.app.clients.create({
    client_name: 'テスト家計簿アプリ',
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
    scope: 'openid offline_access accounts transactions transfers',
  });
  return { clientId: record.client_id, clientSecret };
}

export interface TestCustomer {
  readonly sub: string;
  readonly loginId: string;
  readonly password: string;
  readonly userNumber: string;
  readonly question: string;
  readonly answer: string;
}

/** A customer with known secrets, created through the directory as operators will. */
export async function createCustomer(server: TestServer, overrides: Partial<Omit<TestCustomer, 'sub'>> = {}): Promise<TestCustomer> {
  const input = {
    loginId: `user-${randomUUID().slice(0, 8)}`,
    password: 'correct horse 2026',
    userNumber: '3141592653',
    question: '好きな色は？',
    answer: 'あお',
    ...overrides,
  };
  const customer = await server.app.customers.create({ ...input, name: 'テスト 太郎' });
  return { ...input, sub: customer.sub };
}

export async function seedCustomer(server: TestServer, status: 'active' | 'locked' = 'active'): Promise<string> {
  const { sub } = await createCustomer(server);
  if (status === 'locked') await server.app.customers.setStatus(sub, 'locked');
  return sub;
}

/**
 * Issues an authorization code the way the authorization endpoint does after consent (the
 * screens come with the journey issue): a grant for the scopes, then a PKCE-bound code.
 */
export async function issueCode(server: TestServer, client: TestClient, sub: string, scope = 'openid accounts') {
  const { provider } = server;
  const grant = new provider.Grant({ accountId: sub, clientId: client.clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const { verifier, challenge } = pkcePair();
  const code = new provider.AuthorizationCode({
    accountId: sub,
    clientId: client.clientId,
    grantId,
    redirectUri: REDIRECT_URI,
    scope,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    authTime: Math.floor(Date.now() / 1000),
    expiresWithSession: false,
  } as never);
  const value = await code.save();
  return { code: value, verifier, grantId };
}

export function basicAuth(client: TestClient): string {
  const encode = (s: string) => encodeURIComponent(s);
  return 'Basic ' + Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret ?? '')}`).toString('base64');
}

/** A form POST; a field given a list of values is sent once per value, in order. */
export async function postForm(url: string, form: Record<string, string | readonly string[]>, headers: Record<string, string> = {}) {
  const fields = Object.entries(form).flatMap(([name, value]): [string, string][] => (typeof value === 'string' ? [[name, value]] : value.map((each) => [name, each])));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the caller asserts on status
  }
  return { status: response.status, json, headers: response.headers, text };
}
