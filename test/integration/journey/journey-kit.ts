/**
 * Helpers shared by the journey tests in this folder (black-box: HTTP against a real server on
 * the run's Redis). Not a test file itself.
 *
 * Every browser here presents its own client IP (X-Forwarded-For, the server trusting the proxy)
 * so that per-IP throttling, whose state lives in the Redis all test files share, never leaks
 * from one test (or test file) into another. Throttling tests reuse one IP on purpose.
 */
import { expect } from '@jest/globals';
import { randomInt, randomUUID } from 'node:crypto';
import { Browserless, csrfOf, interactionPath, startAuthorization } from '../../support/browserless.js';
import { basicAuth, postForm, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

export const TEXT = {
  loginTitle: 'API連携認証（利用登録）',
  consentTitle: 'API連携認証（情報連携認可）',
  generic: 'ログインIDまたはログインパスワードが正しくありません。',
  lockedPrefix: 'このアカウントはロックされている',
} as const;

/** A random documentation-range-free private IPv4 address: one per browser unless given. */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A browser behind the bank's reverse proxy, seen by the server as `ip`. */
export class ClientBrowser extends Browserless {
  constructor(
    origin: string,
    readonly ip: string = randomIp(),
  ) {
    super(origin);
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    return super.request(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'x-forwarded-for': this.ip } });
  }
}

/**
 * Starts a server whose config is config/default.json with `config` merged over it (through a
 * RENKEI_CONFIG file), trusting X-Forwarded-For, and with a per-IP budget too large to
 * interfere unless the test sets one. `env`: more RENKEI_* variables, e.g. RENKEI_REDIS_URL for a
 * redis-server of the file's own.
 */
export function startJourneyServer(config: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<TestServer> {
  const base = { server: { trustProxy: true }, throttle: { failuresPerIp: 10_000, windowSeconds: 600 } };
  const merged: Record<string, unknown> = { ...base, ...config };
  if (config.server) merged.server = { ...base.server, ...(config.server as object) };
  return startTestServer({ config: merged, env, fastHashing: config.testFastHashing !== false });
}

/** A confidential partner client with the scopes given (the support fixture fixes its scopes). */
export async function registerPartner(
  server: TestServer,
  { scope = 'openid offline_access accounts transactions transfers', name = 'テスト家計簿アプリ' }: { scope?: string; name?: string } = {},
): Promise<TestClient> {
  const clientId = `client-${randomUUID()}`;
  const clientSecret = randomUUID() + randomUUID();
  await server.store.adapterFactory('Client').upsert(clientId, {
    client_id: clientId,
    client_secret: clientSecret,
    client_name: name,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope,
  });
  return { clientId, clientSecret };
}

export interface Page {
  readonly response: Response;
  readonly url: string;
  readonly html: string;
}

/** Follows our own redirects to the page the browser ends on (or the partner's redirect). */
export async function land(browser: Browserless, response: Response): Promise<Page> {
  const followed = await browser.follow(response);
  const status = followed.response.status;
  const html = status === 200 || status >= 400 ? await followed.response.text() : '';
  return { response: followed.response, url: followed.url, html };
}

export interface Started {
  readonly browser: ClientBrowser;
  readonly state: string;
  readonly verifier: string;
  readonly page: Page;
}

/** An authorization request from a browser (a fresh one unless given), landed where it leads. */
export async function authorize(
  server: TestServer,
  client: TestClient,
  { scope = 'openid accounts', extra = {}, browser = new ClientBrowser(server.issuer) }: { scope?: string; extra?: Record<string, string>; browser?: ClientBrowser } = {},
): Promise<Started> {
  const start = await startAuthorization(server.issuer, client, { scope, extra, browser });
  const status = start.landing.response.status;
  const html = status === 200 || status >= 400 ? await start.landing.response.text() : '';
  return { browser, state: start.state, verifier: start.verifier, page: { ...start.landing, html } };
}

/** The path of the interaction a page belongs to, e.g. `/interaction/abc` (also for a page a POST answered). */
export function uidPath(page: Page): string {
  const path = /^\/interaction\/[^/]+/.exec(interactionPath(page.url))?.[0];
  if (!path) throw new Error(`not an interaction page: ${page.url}`);
  return path;
}

/** The interaction uid of a page. */
export const uidOf = (page: Page) => uidPath(page).split('/').pop()!;

/** POSTs a step's form the way the page would (its CSRF token unless one is given). */
export async function post(browser: ClientBrowser, page: Page, step: string, fields: Record<string, string>, csrf = csrfOf(page.html)): Promise<Response> {
  return browser.post(`${uidPath(page)}/${step}`, { csrf, ...fields });
}

export async function postAndLand(browser: ClientBrowser, page: Page, step: string, fields: Record<string, string>): Promise<Page> {
  return land(browser, await post(browser, page, step, fields));
}

export const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
export const errorMessageOf = (html: string) => /<p class="error-message" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
export const buttonsOf = (html: string) => [...html.matchAll(/<button\b[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]!.trim());

/** The control a `<label for>` with exactly this text is tied to (asserts both exist). */
export function controlLabelled(html: string, labelText: string): string {
  const escaped = labelText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const label = new RegExp(`<label for="([^"]+)">${escaped}</label>`).exec(html);
  expect(label?.[0] ?? `no <label for> with text ${labelText}`).toMatch(/^<label for=/);
  const control = new RegExp(`<(?:input|select|textarea)\\b[^>]*\\bid="${label![1]}"[^>]*>`).exec(html);
  expect(control?.[0] ?? `no control with id ${label![1]}`).toMatch(/^<(input|select|textarea)/);
  return control![0];
}

export const attributeOf = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** Every visible input of a page has a label tied to it, and every action is a <button>. */
export function expectAccessibleForm(html: string): void {
  const inputs = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).filter((tag) => attributeOf(tag, 'type') !== 'hidden');
  expect(inputs.length).toBeGreaterThan(0);
  for (const tag of inputs) {
    const id = attributeOf(tag, 'id');
    expect(id).toBeTruthy();
    expect(html).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
    expect(['submit', 'button', 'image', 'reset']).not.toContain(attributeOf(tag, 'type'));
  }
}

/** SPEC §4: CSP with frame-ancestors 'none' and no inline script, no referrer, no caching. */
export function expectPageHeaders(response: Response, html: string): void {
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/(^|;)\s*(script-src|default-src) /);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('cache-control')).toContain('no-store');
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
}

/** An error page shows public codes only: no stack, no file paths, no exception names. */
export function expectNoInternals(html: string): void {
  expect(html).not.toMatch(/at \S+ \(|node_modules|\.ts:\d+|\.js:\d+|Error:|TypeError|stack/);
}

/** The audit events of one kind, optionally those whose fields match. */
export function auditEvents(server: TestServer, event: string, match: Record<string, unknown> = {}): Record<string, unknown>[] {
  return server.logs
    .events()
    .filter((line) => line.event === event && Object.entries(match).every(([key, value]) => line[key] === value));
}

/** Full-width digits (U+FF10…), as typed by an IME. */
export const toFullWidth = (text: string) => text.replace(/[0-9a-zA-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export async function exchangeCode(server: TestServer, client: TestClient, code: string, verifier: string) {
  return postForm(
    `${server.issuer}/token`,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI },
    { authorization: basicAuth(client) },
  );
}
