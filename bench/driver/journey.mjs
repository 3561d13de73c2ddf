// The customer journey over HTTP, as a browser: GET /auth, then whatever screens the server shows
// (renkei: login → 利用者番号 digits → additional authentication when asked → consent when asked;
// the baseline answers its interaction without a page), back at the partner with a code, then the
// partner's code exchange.
import { randomUUID } from 'node:crypto';
import { pkcePair } from '../servers/pkce.mjs';
import { REDIRECT_URI } from '../servers/provider-fixtures.mjs';
import { quantile } from './report.mjs';

/** A cookie jar and manual redirects over fetch. */
export class Browser {
  constructor(origin) {
    this.origin = origin;
    this.cookies = new Map();
  }

  async request(url, init = {}) {
    const response = await fetch(new URL(url, this.origin), {
      ...init, redirect: 'manual', headers: { ...init.headers, cookie: [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects on the server's origin: the page it lands on, or the partner's redirect. */
  async land(response) {
    let current = response;
    let url = current.url;
    for (let hops = 0; hops < 12 && current.status >= 300 && current.status < 400; hops++) {
      url = new URL(current.headers.get('location'), this.origin).toString();
      if (!url.startsWith(this.origin)) return { status: current.status, url, html: '' };
      await current.body?.cancel();
      current = await this.request(url);
    }
    return { status: current.status, url, html: await current.text() };
  }
}

/** The step form's fields, filled in as the customer would. */
function fill(html, customer) {
  const fields = { csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
  if (html.includes('name="login_id"')) Object.assign(fields, { login_id: customer.loginId, password: customer.password });
  for (const [, position] of html.matchAll(/name="digit_(\d+)"/g)) fields[`digit_${position}`] = customer.userNumber[Number(position) - 1];
  if (html.includes('name="answer"')) fields.answer = customer.answer;
  return fields;
}

/**
 * One journey of `customer` through `server` from `browser`; resolves to the screens walked,
 * throws when it does not end with tokens.
 */
export async function walkJourney({ browser, endpoints, client, customer, scope = 'openid accounts' }) {
  const { verifier, challenge } = pkcePair();
  const params = new URLSearchParams({
    client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, state: randomUUID(),
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  let page = await browser.land(await browser.request(`${endpoints.authorization}?${params}`));
  const screens = [];
  while (!page.url.startsWith(REDIRECT_URI)) {
    const action = /<form id="step-form" method="post" action="([^"]+)"/.exec(page.html)?.[1];
    if (page.status !== 200 || !action || screens.length > 6) {
      throw new Error(`journey stopped at ${page.status} ${page.url}: ${/<title>([^<]*)<\/title>/.exec(page.html)?.[1] ?? ''}`);
    }
    screens.push(action.split('/').pop());
    page = await browser.land(await browser.request(action, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fill(page.html, customer)).toString(),
    }));
  }
  const code = new URL(page.url).searchParams.get('code');
  if (!code) throw new Error(`journey ended without a code: ${page.url}`);
  const token = await fetch(endpoints.token, {
    method: 'POST',
    headers: { authorization: basicAuthorization(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }),
  });
  const tokens = await token.json();
  if (token.status !== 200 || !tokens.access_token) throw new Error(`code exchange after the journey failed: ${token.status} ${JSON.stringify(tokens)}`);
  return screens;
}

export function basicAuthorization({ clientId, clientSecret }) {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

/**
 * Journeys for `seconds` from `workers` concurrent customers, each with the browser `browserFor`
 * gives it per journey; journeys per second and the server's CPU per journey.
 */
export async function runJourneys(server, { endpoints, client, workers, seconds, browserFor }) {
  const latencies = [];
  let failures = 0;
  let firstError;
  const cpuBefore = server.cpuMicros();
  const eventLoopBefore = server.eventLoopCpuMicros();
  const switchesBefore = server.eventLoopSwitches();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(workers.map(async (worker) => {
    while (performance.now() < until) {
      const begun = performance.now();
      try {
        await walkJourney({ browser: browserFor(worker), endpoints, client, customer: worker.customer });
        latencies.push(performance.now() - begun);
      } catch (error) {
        failures++;
        firstError ??= error;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuMicros();
  const eventLoopAfter = server.eventLoopCpuMicros();
  const switchesAfter = server.eventLoopSwitches();
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? Math.round(quantile(latencies, q)) : undefined);
  return {
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length,
    failed: failures,
    firstError: firstError?.message,
    cpuMicrosPerRequest: cpuBefore === undefined || !latencies.length ? undefined : (cpuAfter - cpuBefore) / latencies.length,
    // the rest ran on libuv's pool (Argon2id) and V8's helper threads
    eventLoopMicrosPerRequest: eventLoopBefore === undefined || !latencies.length ? undefined : (eventLoopAfter - eventLoopBefore) / latencies.length,
    // each a wait for I/O and a wake-up (cold caches beside a hash): fewer round trips, fewer of these
    eventLoopSwitchesPerRequest: switchesBefore === undefined || !latencies.length ? undefined : (switchesAfter - switchesBefore) / latencies.length,
    seconds: elapsed,
  };
}
