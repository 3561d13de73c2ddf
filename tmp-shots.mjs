import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
const ISSUER = 'http://localhost:3900';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const shot = async (page, name) => { await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true }); console.log(name, page.url(), await page.title()); };
for (const [locale, viewport] of [['ja', { width: 1280, height: 900 }], ['en', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport, locale: locale === 'ja' ? 'ja-JP' : 'en-GB', extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  // 1. Back after 中止する
  await page.goto(`${ISSUER}/demo`);
  await page.locator('button, a').filter({ hasText: /API連携|Connect|開始|Start/ }).first().click();
  await page.waitForLoadState();
  await page.locator('button').filter({ hasText: locale === 'ja' ? '中止する' : 'Cancel' }).first().click();
  await page.waitForLoadState();
  console.log('after cancel', page.url());
  await page.goBack();
  await page.waitForLoadState();
  await shot(page, `back-after-cancel-${locale}`);
  // 3. logout asked in the other language: ui_locales wins
  const other = locale === 'ja' ? 'en' : 'ja';
  await page.goto(`${ISSUER}/session/end?ui_locales=${other}`);
  await page.waitForURL(/session\/end\/success/);
  await page.waitForLoadState();
  await shot(page, `logout-success-ui_locales-${other}-browser-${locale}`);
  await context.close();
}
// 2. a used request_uri
const [clientId] = process.argv.slice(2);
for (const [locale, viewport] of [['ja', { width: 390, height: 844 }], ['en', { width: 1280, height: 900 }]]) {
  const par = JSON.parse(execFileSync('curl', ['-s', '-X', 'POST', `${ISSUER}/request`, '-d', `client_id=${clientId}`, '-d', 'response_type=code', '-d', 'scope=openid', '-d', 'redirect_uri=https://partner.example/cb', '-d', 'code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', '-d', 'code_challenge_method=S256', '-d', `ui_locales=${locale}`]).toString());
  const context = await browser.newContext({ viewport, locale: locale === 'ja' ? 'ja-JP' : 'en-GB', extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  const url = `${ISSUER}/auth?client_id=${clientId}&request_uri=${encodeURIComponent(par.request_uri)}`;
  await page.goto(url);
  await page.goto(url);
  await shot(page, `used-request-uri-${locale}`);
  await context.close();
}
await browser.close();
