/**
 * HTTP over node:http for what fetch will not send: a forged Host header, an absolute-form
 * request target. Not a test file itself.
 */
import { request as httpRequest } from 'node:http';
import { Browserless } from '../../support/browserless.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export function rawRequest(
  origin: string,
  { method = 'GET', target = '/', headers = {}, body }: { method?: string; target?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A browser whose every request carries the given headers (Host included), through node:http. */
export class ForgingBrowser extends Browserless {
  constructor(
    origin: string,
    private readonly forged: Record<string, string>,
  ) {
    super(origin);
  }

  override async request(url: string, init: RequestInit = {}): Promise<Response> {
    const absolute = new URL(url, this.origin);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const raw = await rawRequest(this.origin, {
      method: init.method ?? 'GET',
      target: `${absolute.pathname}${absolute.search}`,
      headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}), ...this.forged },
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(raw.headers)) {
      for (const one of ([] as string[]).concat(value ?? [])) headers.append(name, one);
    }
    for (const setCookie of headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const index = pair!.indexOf('=');
      const value = pair!.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(setCookie)) this.cookies.delete(pair!.slice(0, index).trim());
      else this.cookies.set(pair!.slice(0, index).trim(), value);
    }
    const nullBody = raw.status === 204 || raw.status === 304;
    return new Response(nullBody ? null : raw.body, { status: raw.status, headers });
  }
}
