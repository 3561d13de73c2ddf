/**
 * The page that hands the answer to a form_post partner, and the end-session step with no session
 * to confirm, are our pages: the customer's language, a button saying where it goes, the same
 * fields, submitted by our own script (no inline script, so no hash in the CSP).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/security-headers.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

interface HandingPage {
  readonly lang: string | undefined;
  readonly heading: string | undefined;
  readonly action: string | undefined;
  readonly fields: Record<string, string>;
  readonly button: string | undefined;
  readonly html: string;
}

function handingPage(html: string): HandingPage {
  return {
    lang: /<html lang="([a-z]+)">/.exec(html)?.[1],
    heading: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
    action: /<form id="autosubmit" method="post" action="([^"]*)">/.exec(html)?.[1]?.replace(/&amp;/g, '&'),
    fields: Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')])),
    button: /<button type="submit" class="primary">([^<]*)<\/button>/.exec(html)?.[1],
    html,
  };
}

describe('response_mode=form_post', () => {
  it('hands the code over on a page in Japanese with 連携先に戻る, the code, state and iss, submitted by /assets/autosubmit.js', async () => {
    const journey = await completeJourney(server.issuer, client, await createCustomer(server), { extra: { response_mode: 'form_post' } });
    expect(journey.end.response.status).toBe(200);
    expect(journey.end.response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const page = handingPage(journey.end.html);
    expect(page).toMatchObject({ lang: 'ja', heading: 'テスト家計簿アプリに戻ります', action: REDIRECT_URI, button: '連携先に戻る' });
    expect(page.fields).toEqual({ code: expect.any(String), state: journey.state, iss: server.issuer });
    expect(page.html).toContain('<p>自動的に移動しない場合は、「連携先に戻る」ボタンを押してください。</p>');
    expect(page.html).toContain('<script src="/assets/autosubmit.js"></script>');
    expect(page.html).not.toMatch(/<script>|Submitting Callback|noscript/);

    // Back to the consent after the code was posted: the connection is complete (not "expired")
    const back = await journey.browser.get(new URL(journey.pages.consent!.url).pathname);
    expect(back.status).toBe(200);
    expect(/<h1>([^<]*)<\/h1>/.exec(await back.text())?.[1]).toBe('API連携の手続きは完了しています');

    const script = await fetch(`${server.issuer}/assets/autosubmit.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await script.text()).toContain("document.getElementById('autosubmit').submit();");
  });

  it('hands over an error the same way, in English with ui_locales=en', async () => {
    const browser = new Browserless(server.issuer);
    const query = new URLSearchParams({
      client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', state: 'silent-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', response_mode: 'form_post', prompt: 'none', ui_locales: 'en',
    });
    const silent = await browser.get(`/auth?${query}`);
    expect(silent.status).toBe(400);
    const page = handingPage(await silent.text());
    expect(page).toMatchObject({ lang: 'en', heading: 'Returning to テスト家計簿アプリ', button: 'Return to テスト家計簿アプリ', action: REDIRECT_URI });
    expect(page.fields).toMatchObject({ error: 'login_required', state: 'silent-1', iss: server.issuer });
    expect(page.fields.error_description).toEqual(expect.any(String));
  });
});

describe('the end-session endpoint with no session to confirm', () => {
  it('ends the logout on our page (ログアウトする, its xsrf and logout=yes) instead of an English one', async () => {
    const response = await new Browserless(server.issuer).get('/session/end');
    expect(response.status).toBe(200);
    const page = handingPage(await response.text());
    expect(page).toMatchObject({ lang: 'ja', heading: 'ログアウト', action: `${server.issuer}/session/end/confirm`, button: 'ログアウトする' });
    expect(page.fields).toEqual({ xsrf: expect.any(String), logout: 'yes' });
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
