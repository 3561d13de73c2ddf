import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectRefused, expectUsageError, okJson, renkei, scratchDir } from './cli-kit.js';

interface Client {
  client_id: string;
  token_endpoint_auth_method: string;
  tls_client_auth_subject_dn?: string;
  subject_type?: string;
  resource_server?: boolean;
  redirect_uris: string[];
  grant_types: string[];
  client_secret?: string;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);
const REDIRECT = 'https://ledger.example/cb';

describe('renkei client create / update / show: every field the admin API accepts', () => {
  it('registers a mutual-TLS partner with its certificate subject and pairwise subjects, and shows them', async () => {
    const dn = 'CN=ledger.example,O=Ledger KK,C=JP';
    const client = okJson<Client>(await cli('client', 'create', '--name', 'Ledger', '--redirect-uri', REDIRECT, '--auth-method', 'tls_client_auth', '--tls-subject-dn', dn, '--subject-type', 'pairwise', '--certificate-bound-tokens', '--json'));
    expect(client).toMatchObject({ token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: dn, subject_type: 'pairwise', tls_client_certificate_bound_access_tokens: true });
    expect(client.client_secret).toBeUndefined();
    const shown = await cli('client', 'show', client.client_id);
    expect(shown.stdout).toMatch(/^auth_method\s+tls_client_auth$/m);
    expect(shown.stdout).toMatch(new RegExp(`^tls_identity\\s+${dn}$`, 'm'));
    expect(shown.stdout).toMatch(/^subject_type\s+pairwise$/m);
    expect(shown.stdout).toMatch(/^bound_tokens\s+mTLS certificate$/m);
    expect(shown.stdout).toMatch(/^issued_at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+09:00$/m);

    const updated = okJson<Client>(await cli('client', 'update', client.client_id, '--subject-type', 'public', '--no-certificate-bound-tokens', '--json'));
    expect(updated.subject_type ?? 'public').toBe('public');
    expect((updated as { tls_client_certificate_bound_access_tokens?: boolean }).tls_client_certificate_bound_access_tokens).toBeUndefined();
  });

  it('registers a resource server without redirect URIs and can choose the client_id', async () => {
    const id = `rs-${Math.random().toString(36).slice(2, 8)}`;
    const rs = okJson<Client>(await cli('client', 'create', '--client-id', id, '--name', 'Accounts API', '--resource-server', '--json'));
    expect(rs).toMatchObject({ client_id: id, resource_server: true, redirect_uris: [], grant_types: [] });
    expect(rs.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await cli('client', 'show', id)).stdout).toMatch(/^kind\s+resource server \(introspects tokens\)$/m);
  });

  it('sends --jwks-uri, --grant-type and the signing algorithms; refuses what does not fit (exit 2) or what the server refuses (exit 1)', async () => {
    const client = okJson<Client>(await cli('client', 'create', '--name', 'Keys', '--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-uri', 'https://ledger.example/jwks.json', '--auth-signing-alg', 'ES256', '--id-token-alg', 'PS256', '--grant-type', 'authorization_code', '--json'));
    expect(client).toMatchObject({ grant_types: ['authorization_code'], token_endpoint_auth_signing_alg: 'ES256', id_token_signed_response_alg: 'PS256' });
    expectUsageError(await cli('client', 'create', '--name', 'x', '--redirect-uri', REDIRECT, '--grant-type', 'implicit'), /--grant-type must be one of authorization_code, refresh_token \(not "implicit"\)/);
    expectUsageError(await cli('client', 'update', client.client_id, '--resource-server', '--no-resource-server'), /give --resource-server or --no-resource-server, not both/);
    expectUsageError(await cli('client', 'create', '--name', 'x', '--redirect-uri', REDIRECT, '--subject-type', 'private'), /--subject-type must be one of public, pairwise/);
    expectRefused(await cli('client', 'create', '--name', 'x', '--redirect-uri', REDIRECT, '--auth-method', 'tls_client_auth'), /validation_failed/);
  });

  it('names the line and column of a --jwks-file that is not JSON', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'jwks.json'), '{\n  "keys": [\n    {"kty": "EC" "crv": "P-256"}\n  ]\n}\n');
    const result = await renkei(server, ['client', 'create', '--name', 'x', '--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-file', 'jwks.json'], { cwd: dir });
    expectRefused(result, /^renkei: cannot use --jwks-file jwks.json: not valid JSON at line 3, column 18$/m);
  });
});
