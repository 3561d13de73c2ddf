import type { Context } from 'koa';
import type { GrantSummary } from '../../src/grants/grant-index.js';
import { backButton, contactBlock, errorDetails } from '../../src/shared/error-page.js';
import { html, renderPage, type SafeHtml } from '../../src/shared/html.js';
import type { Locale } from '../../src/shared/locale.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/security-headers.js';
import type { AppContext } from '../../src/services.js';
import { bankNameFor } from '../flow-deps.js';
import { digitFields, loginFields } from '../auth/form-fields.js';
import { TEXTS } from '../i18n.js';
import { asStepError, stepErrorBlock, timeInJapan, type StepError } from '../step-page.js';
import type { AccountSession } from './account-session.js';
import { connectionsHomeIn } from './connections-home.js';

export interface ConnectionRow extends GrantSummary {
  readonly partnerName: string;
  readonly permissions: readonly string[];
  /** the accounts the partner sees (masked labels); null when it was granted no account information */
  readonly accounts: readonly string[] | null;
  readonly expiresOn: string;
}

/** The session keeps its language; the URL says it too, for the pages that cannot read the session (the store away). */
export function localeQuery(locale: Locale): string {
  return `?ui_locales=${locale}`;
}
const suffix = localeQuery;

/** Dates written as the connection's expiry is (2027年3月3日, 3 March 2027), with the time in Japan. */
const DATE_AND_TIME = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }),
};
const formatTime = (at: number, locale: Locale): string => DATE_AND_TIME[locale].format(at);

function render(ctx: Context, app: AppContext, locale: Locale, title: string, body: SafeHtml, status = 200): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action 'self'`);
  ctx.type = 'html';
  ctx.body = renderPage({ locale, title, bankName: bankNameFor(app, locale), body: html`<h1>${title}</h1>${body}` });
}


const flashBlock = (session: AccountSession) => (session.flash ? html`<p class="flash" role="status">${session.flash}</p>` : '');

/** `この画面の有効期限：HH:MM`: when the session's pages stop working (every page of 連携サービス管理 says it). */
export function expiryLine(app: AppContext, locale: Locale, session: AccountSession): SafeHtml {
  const expiresAt = session.expiresAt ?? Date.now() + app.settings.config.ttl.interactionSeconds * 1000;
  return html`<p class="expires">${TEXTS[locale].login.expiresAt(timeInJapan(expiresAt))}</p>`;
}

/**
 * ログインID + ログインパスワード; after a failure the login ID stays filled in. `alert`: what went
 * wrong that was not the fields' fault (an error, not a flash message: no field marked invalid).
 */
export function renderConnectionsLogin(
  ctx: Context,
  app: AppContext,
  locale: Locale,
  session: AccountSession,
  error?: string | StepError,
  status?: number,
  loginId?: string,
  alert?: string,
): void {
  const t = TEXTS[locale];
  const stepError = asStepError(error);
  render(ctx, app, locale, t.connections.title, html`${expiryLine(app, locale, session)}
${stepErrorBlock(t, stepError)}${alert ? html`<p class="error-message" role="alert">${alert}</p>` : ''}${flashBlock(session)}
<p>${t.connections.lead}</p>
<form method="post" action="/account/connections/login${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
${loginFields(t, { invalid: stepError !== undefined, loginId })}
<div class="actions"><button type="submit" class="primary">${t.connections.login}</button></div>
</form>`, status);
}

export function renderConnectionsDigits(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, error?: string | StepError, status?: number): void {
  const t = TEXTS[locale];
  render(ctx, app, locale, t.connections.digitsTitle, html`${expiryLine(app, locale, session)}
${stepErrorBlock(t, asStepError(error))}
<form method="post" action="/account/connections/digits${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
${digitFields(t, session.positions ?? [], { invalid: error !== undefined })}
<div class="actions"><button type="submit" class="primary">${t.next}</button></div>
</form>
${logOutForm(locale, session)}`, status);
}

/** ログアウト: ends the session (from the digit step too, which is otherwise left only by waiting it out). */
function logOutForm(locale: Locale, session: AccountSession): SafeHtml {
  return html`<form method="post" action="/account/connections/logout${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<div class="actions"><button type="submit" class="secondary">${TEXTS[locale].connections.logout}</button></div>
</form>`;
}

/** The account is locked: a final page with nothing to fill in, saying how to unlock it (the credit union's contact), and the way back. */
export function renderConnectionsLocked(ctx: Context, app: AppContext, locale: Locale, title: string): void {
  // in the error pages' order: the message, the way back, the contact, the お問い合わせ番号
  render(ctx, app, locale, title, html`<p class="error-message" role="alert">${TEXTS[locale].login.locked}</p>
${backButton({ url: connectionsHomeIn(locale), label: TEXTS[locale].connections.backHome })}
${contactBlock(app.settings.config.bank.contact, locale)}
${errorDetails(locale, undefined, ctx.state.requestId as string | undefined)}`, 403);
}

/** A GET back to the list (a button, like every action of the screens). */
function backToList(locale: Locale, label: string): SafeHtml {
  return html`<form method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="${locale}"><button type="submit" class="secondary">${label}</button></form>`;
}

export function renderConnectionsList(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, rows: readonly ConnectionRow[], error?: string, status?: number): void {
  const t = TEXTS[locale].connections;
  const list = rows.length === 0
    ? html`<p class="empty">${t.none}</p>`
    : html`<p>${t.listLead}</p>
<ul class="connections">${rows.map(
        // each row's buttons carry exactly their text (連携解除, 口座の変更) and are described by the partner's name
        (row, index) => html`<li class="connection">
<h2 class="partner-name" id="partner-${index}">${row.partnerName}</h2>
<dl>
<dt>${t.permissions}</dt><dd><ul>${row.permissions.map((p) => html`<li>${p}</li>`)}</ul></dd>
<dt>${t.since}</dt><dd>${formatTime(row.createdAt, locale)}</dd>
<dt>${t.lastUsed}</dt><dd>${row.lastUsedAt ? formatTime(row.lastUsedAt, locale) : t.never}</dd>
${row.accounts ? html`<dt>${t.accounts}</dt><dd>${row.accounts.length ? html`<ul class="shared-accounts">${row.accounts.map((account) => html`<li>${account}</li>`)}</ul>` : t.noSharedAccounts}</dd>` : ''}
<dt>${t.expires}</dt><dd>${row.expiresOn}</dd>
</dl>
<div class="actions connection-actions">
${row.accounts && row.accounts.length > 1 ? html`<form method="post" action="/account/connections/accounts/edit${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="client_id" value="${row.clientId}">
<button type="submit" class="secondary" aria-describedby="partner-${index}">${t.editAccounts}</button>
</form>` : ''}
<form method="post" action="/account/connections/revoke/confirm${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="client_id" value="${row.clientId}">
<button type="submit" class="secondary" aria-describedby="partner-${index}">${t.revoke}</button>
</form>
</div>
</li>`,
      )}</ul>`;
  render(ctx, app, locale, t.title, html`${expiryLine(app, locale, session)}
${error ? html`<p class="error-message" role="alert">${error}</p>` : ''}${flashBlock(session)}
${list}
${logOutForm(locale, session)}`, status);
}

/** 連携解除, confirmed on a page of its own: which partner, and what ends with it. */
export function renderRevokeConfirmation(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, row: ConnectionRow): void {
  const t = TEXTS[locale].connections;
  render(ctx, app, locale, t.confirmTitle, html`${expiryLine(app, locale, session)}
<p class="partner">${TEXTS[locale].partner}: <strong class="partner-name">${row.partnerName}</strong></p>
<p>${t.confirmLead(row.partnerName)}</p>
<ul class="effects">${t.confirmEffects(row.partnerName).map((line) => html`<li>${line}</li>`)}</ul>
<div class="actions">
${backToList(locale, t.back)}
<form method="post" action="/account/connections/revoke${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="client_id" value="${row.clientId}">
<button type="submit" class="primary danger">${t.revoke}</button>
</form>
</div>`);
}
