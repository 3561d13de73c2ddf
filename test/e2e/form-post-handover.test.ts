/**
 * A form_post partner receives the code by a POST the handing-over page makes at once in a real
 * browser (our script, allowed by the CSP); without JavaScript the page says what to do and its
 * button does the same. Phone, ja and en, axe-core, screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/settings/project-root.js';
import { gotoServer, launchChromium, screenshot } from '../support/browser.js';
import type { Browserless } from '../support/browserless.js';
import { digitsFor } from '../support/journey.js';
import { createCustomer } from '../support/oauth-fixtures.js';
import type { TestServer } from '../support/test-server.js';
import { authorize, postAndLand, startJourneyServer } from '../integration/journey/journey-kit.js';

const AXE_SOURCE = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };

/** The partner's callback: records what was posted to it. */
class Callback {
  readonly posts: URLSearchParams[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST') this.posts.push(new URLSearchParams(Buffer.concat(chunks).toString()));
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html lang="en"><title>partner</title><p>received</p></html>');
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

let server: TestServer;
let browser: Browser;
let callback: Callback;
let clientId: string;
beforeAll(async () => {
  [server, browser, callback] = await Promise.all([startJourneyServer(), launchChromium(), new Callback().start()]);
  const { record } = await server.app.clients.create({ client_name: 'フォーム家計簿', redirect_uris: [callback.url], scope: 'openid accounts' });
  clientId = record.client_id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await callback?.close();
});

/** A customer brought to the consent screen outside the browser; the browser continues from there. */
async function atConsent(locale: 'ja' | 'en', javaScriptEnabled: boolean): Promise<{ page: Page; context: BrowserContext; state: string }> {
  const customer = await createCustomer(server);
  const started = await authorize(server, { clientId, clientSecret: undefined }, { extra: { ui_locales: locale, response_mode: 'form_post', redirect_uri: callback.url } });
  const digits = await postAndLand(started.browser, started.page, 'login', { login_id: customer.loginId, password: customer.password });
  const additional = await postAndLand(started.browser, digits, 'digits', digitsFor(customer, digits.html));
  const consent = await postAndLand(started.browser, additional, 'additional', { answer: customer.answer });
  const context = await browser.newContext({ viewport: PHONE, locale: locale === 'ja' ? 'ja-JP' : 'en-GB', javaScriptEnabled });
  await context.addCookies([...(started.browser as Browserless).cookies].map(([name, value]) => ({ name, value, url: server.issuer })));
  const page = await context.newPage();
  await gotoServer(page, consent.url);
  return { page, context, state: started.state };
}

describe.each(['ja', 'en'] as const)('handing the code to a form_post partner (%s, phone)', (locale) => {
  it('posts code, state and iss to the partner at once with JavaScript', async () => {
    const { page, context, state } = await atConsent(locale, true);
    const before = callback.posts.length;
    await Promise.all([page.waitForURL(callback.url), page.locator('#step-form button[type=submit]').filter({ hasText: locale === 'ja' ? '許可する' : 'Allow' }).click()]);
    expect(callback.posts.length).toBe(before + 1);
    const posted = callback.posts.at(-1)!;
    expect([posted.get('state'), posted.get('iss'), posted.get('code')?.length ? 'code' : undefined]).toEqual([state, server.issuer, 'code']);
    await context.close();
  });

  it('without JavaScript says what to do, passes axe-core, and its button posts the same', async () => {
    const { page, context, state } = await atConsent(locale, false);
    await page.locator('#step-form button[type=submit]').filter({ hasText: locale === 'ja' ? '許可する' : 'Allow' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').innerText()).toBe(locale === 'ja' ? 'フォーム家計簿に戻ります' : 'Returning to フォーム家計簿');
    await screenshot(page, `form-post-${locale}-phone-handover`);
    // axe runs as the test's script in a page of its own that has the same markup
    const markup = await page.content();
    const checker = await (await browser.newContext({ viewport: PHONE })).newPage();
    await checker.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: markup }));
    await checker.goto(`${server.issuer}/axe-check`);
    await checker.evaluate(AXE_SOURCE);
    const violations = await checker.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id))`);
    expect(violations).toEqual([]);
    await checker.context().close();

    const before = callback.posts.length;
    await Promise.all([page.waitForURL(callback.url), page.getByRole('button', { name: locale === 'ja' ? '連携先に戻る' : 'Return to フォーム家計簿' }).click()]);
    expect(callback.posts.length).toBe(before + 1);
    expect(callback.posts.at(-1)!.get('state')).toBe(state);
    await context.close();
  });
});
