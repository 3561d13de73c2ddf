import { createHash, randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { DemoSetup } from '../../src/demo/seed-demo.js';
import { html, renderPage, type SafeHtml } from '../../src/shared/html.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/security-headers.js';
import type { AppContext } from '../../src/services.js';
import { redisKeys } from '../../src/storage/redis-keys.js';
import { FormRejected, readForm } from '../form-body.js';

const DEMO_PARTNER_NAME = 'デモ家計簿アプリ';
const OPTIONAL_SCOPES = ['accounts', 'transactions', 'transfers', 'offline_access'] as const;

/** a state whose authorization this partner finished, kept a while to recognise the customer coming back */
const COMPLETED = 'completed';

interface PendingAuthorization {
  readonly verifier: string;
  readonly nonce: string;
}

function page(ctx: Context, app: AppContext, title: string, body: SafeHtml, status = 200): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action 'self'`);
  ctx.type = 'html';
  ctx.body = renderPage({
    locale: 'ja',
    title,
    bankName: app.settings.config.bank.nameJa,
    // the partner's own page: its header, not the bank's
    header: html`<header class="partner-header"><span class="partner-brand">${DEMO_PARTNER_NAME}</span><span class="partner-tagline">API連携のデモ（連携先の画面）</span></header>`,
    body: html`<h1>${title}</h1>${body}`,
  });
}

const json = (value: unknown) => html`<pre class="json"><code>${JSON.stringify(value, null, 2)}</code></pre>`;

/**
 * /demo: a partner ("デモ家計簿アプリ") living beside the server in development. It runs a real
 * authorization-code + PKCE flow against this server over HTTP, like any partner would, and shows
 * the token response, the verified ID token and the userinfo response.
 */
export function demoRoutes(app: AppContext, demo: DemoSetup): Router {
  const { issuer } = app.settings;
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const router = new Router();
  const customer = demo.customer;

  router.get('/demo', (ctx) => {
    page(ctx, app, 'デモ家計簿アプリ', html`<p>このページは、API連携先（電子決済等代行業者）の画面の代わりです。「API連携を開始する」を押すと、銀行側の画面（ログイン → 利用者番号認証 → 追加認証 → 同意）を経て、ここに戻ってきます。</p>
<section class="notice"><h2>デモ用のお客様</h2>
<dl class="demo-customer">
<dt>ログインID</dt><dd><code>${customer.loginId}</code></dd>
<dt>ログインパスワード</dt><dd><code>${customer.password}</code></dd>
<dt>利用者番号</dt><dd><code>${customer.userNumber}</code></dd>
<dt>質問 / 回答</dt><dd>${customer.question} <code>${customer.answer}</code></dd>
</dl></section>
<form method="post" action="/demo/start">
<fieldset><legend>求める権限</legend>
${OPTIONAL_SCOPES.map((scope) => html`<label class="check"><input type="checkbox" name="scope_${scope}" value="1"${scope === 'accounts' || scope === 'transactions' ? html` checked` : ''}> ${app.settings.config.scopes[scope]?.ja ?? scope} <code>${scope}</code></label>`)}
</fieldset>
<fieldset><legend>画面の言語</legend>
<label class="check"><input type="radio" name="ui_locales" value="ja" checked> 日本語</label>
<label class="check"><input type="radio" name="ui_locales" value="en"> English</label>
</fieldset>
<div class="actions"><button type="submit" class="primary">API連携を開始する</button></div>
</form>`);
  });

  router.post('/demo/start', async (ctx) => {
    let form: ReadonlyMap<string, string>;
    try {
      form = await readForm(ctx);
    } catch (error) {
      if (error instanceof FormRejected) return page(ctx, app, 'デモ家計簿アプリ', html`<p class="error-message">${error.reason}</p>`, 400);
      throw error;
    }
    const scopes = ['openid', ...OPTIONAL_SCOPES.filter((scope) => form.get(`scope_${scope}`) === '1')];
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const pending: PendingAuthorization = { verifier, nonce };
    await app.store.kv.set(redisKeys.demoState(state), JSON.stringify(pending), 600);
    const params = new URLSearchParams({
      client_id: demo.clientId,
      response_type: 'code',
      redirect_uri: demo.redirectUri,
      scope: scopes.join(' '),
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ui_locales: form.get('ui_locales') === 'en' ? 'en' : 'ja',
      // oidc-provider grants offline_access only together with prompt=consent
      ...(scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
    });
    ctx.status = 303;
    ctx.redirect(`${issuer}/auth?${params}`);
  });

  router.get('/demo/callback', async (ctx) => {
    const query = new URLSearchParams(ctx.querystring);
    const state = query.get('state') ?? '';
    const stored = state ? await app.store.kv.get(redisKeys.demoState(state)) : undefined;
    if (stored === COMPLETED) {
      // the customer came back from the bank's "completed" page (Back after 許可する, then 連携先に戻る):
      // this authorization is done, whatever error the way back carries
      return page(ctx, app, 'API連携は完了しています', html`<p>このAPI連携はすでに完了しています。</p><p><a href="/demo">もう一度試す</a> ・ <a href="/account/connections">連携サービス管理</a></p>`);
    }
    if (stored) await app.store.kv.delete(redisKeys.demoState(state));
    if (query.get('error')) {
      return page(ctx, app, 'API連携は完了しませんでした', html`<p>銀行から次のエラーが返されました。</p>${json(Object.fromEntries(query))}<p><a href="/demo">もう一度試す</a></p>`, 400);
    }
    if (!stored || query.get('iss') !== issuer) {
      return page(ctx, app, 'API連携は完了しませんでした', html`<p>state または iss が一致しません。</p><p><a href="/demo">もう一度試す</a></p>`, 400);
    }
    const { verifier, nonce } = JSON.parse(stored) as PendingAuthorization;
    const tokenResponse = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(demo.clientId)}:${encodeURIComponent(demo.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code') ?? '', code_verifier: verifier, redirect_uri: demo.redirectUri }),
    });
    const tokens = (await tokenResponse.json()) as Record<string, unknown>;
    if (!tokenResponse.ok) {
      return page(ctx, app, 'トークンを取得できませんでした', html`${json(tokens)}<p><a href="/demo">もう一度試す</a></p>`, 400);
    }
    await app.store.kv.set(redisKeys.demoState(state), COMPLETED, 600);
    const idToken = String(tokens.id_token);
    const { payload } = await jwtVerify(idToken, jwks, { issuer, audience: demo.clientId });
    const nonceOk = payload.nonce === nonce;
    const userinfoResponse = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${String(tokens.access_token)}` } });
    const userinfo = (await userinfoResponse.json()) as unknown;

    page(ctx, app, 'API連携が完了しました', html`<p>銀行から認可コードを受け取り、トークンに交換しました（PKCE S256、client_secret_basic）。</p>
<h2>トークンレスポンス</h2>${json(tokens)}
<h2>IDトークン（署名検証済み${nonceOk ? '・nonce一致' : '・nonce不一致'}）</h2>
<h3>ヘッダー</h3>${json(decodeProtectedHeader(idToken))}
<h3>ペイロード</h3>${json(payload)}
<h2>UserInfo レスポンス（HTTP ${userinfoResponse.status}）</h2>${json(userinfo)}
<p><a href="/demo">もう一度試す</a> ・ <a href="/account/connections">連携サービス管理</a></p>`);
  });

  return router;
}
