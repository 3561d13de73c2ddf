import { pkcePair, REDIRECT_URI, type TestClient } from './oauth-fixtures.js';

/** A minimal browser over fetch: a cookie jar and manual redirects, so tests see every hop. */
export class Browserless {
  readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const absolute = new URL(url, this.origin).toString();
    const response = await fetch(absolute, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    this.remember(response);
    return response;
  }

  get(url: string): Promise<Response> {
    return this.request(url);
  }

  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects on our own origin; stops at the first response that is not a redirect, or leaves the origin. */
  async follow(response: Response): Promise<{ response: Response; url: string }> {
    let current = response;
    let url = current.url;
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      url = new URL(current.headers.get('location')!, this.origin).toString();
      if (!url.startsWith(this.origin)) return { response: current, url };
      current = await this.get(url);
    }
    return { response: current, url };
  }
}

export interface AuthorizationStart {
  readonly browser: Browserless;
  readonly verifier: string;
  readonly state: string;
  /** where the authorization request landed (an interaction page, or straight back to the partner) */
  readonly landing: { response: Response; url: string };
}

export async function startAuthorization(
  origin: string,
  client: TestClient,
  { scope = 'openid accounts', extra = {}, browser = new Browserless(origin) }: { scope?: string; extra?: Record<string, string>; browser?: Browserless } = {},
): Promise<AuthorizationStart> {
  const { verifier, challenge } = pkcePair();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const params = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  const landing = await browser.follow(await browser.get(`/auth?${params}`));
  return { browser, verifier, state, landing };
}

export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
export const positionsOf = (html: string) => [...html.matchAll(/name="digit_(\d+)"/g)].map((m) => Number(m[1]));
export const interactionPath = (url: string) => new URL(url).pathname;

/** The callback the partner received: code, state, iss or error. */
export function callbackParams(url: string): URLSearchParams {
  const parsed = new URL(url);
  expectPartner(parsed);
  return parsed.searchParams;
}

function expectPartner(url: URL): void {
  if (`${url.origin}${url.pathname}` !== REDIRECT_URI) throw new Error(`expected a redirect to the partner, got ${url.toString()}`);
}
