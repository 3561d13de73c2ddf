import type { Context } from 'koa';
import type { GrantSummary } from '../../src/grants/grant-index.js';
import { html, renderPage, type SafeHtml } from '../../src/shared/html.js';
import type { Locale } from '../../src/shared/locale.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/security-headers.js';
import type { AppContext } from '../../src/services.js';
import { bankNameFor } from '../flow-deps.js';
import { digitFields, loginFields } from '../auth/form-fields.js';
import { TEXTS } from '../i18n.js';
import type { AccountSession } from './account-session.js';

export interface ConnectionRow extends GrantSummary {
  readonly partnerName: string;
  readonly permissions: readonly string[];
}

function suffix(locale: Locale): string {
  return locale === 'en' ? '?ui_locales=en' : '';
}

function formatTime(at: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

function render(ctx: Context, app: AppContext, locale: Locale, title: string, body: SafeHtml, status = 200): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action 'self'`);
  ctx.type = 'html';
  ctx.body = renderPage({ locale, title, bankName: bankNameFor(app, locale), body: html`<h1>${title}</h1>${body}` });
}

const messageBlock = (error?: string) => (error ? html`<p class="error-message" role="alert">${error}</p>` : '');

export function renderConnectionsLogin(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, error?: string, status?: number): void {
  const t = TEXTS[locale];
  render(ctx, app, locale, t.connections.title, html`${messageBlock(error)}${session.flash ? html`<p class="flash" role="status">${session.flash}</p>` : ''}
<p>${t.connections.lead}</p>
<form method="post" action="/account/connections/login${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
${loginFields(t)}
<div class="actions"><button type="submit" class="primary">${t.connections.login}</button></div>
</form>`, status);
}

export function renderConnectionsDigits(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, error?: string, status?: number): void {
  const t = TEXTS[locale];
  render(ctx, app, locale, `${t.connections.title}（${t.digits.title}）`, html`${messageBlock(error)}
<form method="post" action="/account/connections/digits${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
${digitFields(t, session.positions ?? [])}
<div class="actions"><button type="submit" class="primary">${t.next}</button></div>
</form>`, status);
}

export function renderConnectionsList(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, rows: readonly ConnectionRow[]): void {
  const t = TEXTS[locale].connections;
  const list = rows.length === 0
    ? html`<p class="empty">${t.none}</p>`
    : html`<ul class="connections">${rows.map(
        (row) => html`<li class="connection">
<h2 class="partner-name">${row.partnerName}</h2>
<dl>
<dt>${t.permissions}</dt><dd><ul>${row.permissions.map((p) => html`<li>${p}</li>`)}</ul></dd>
<dt>${t.since}</dt><dd>${formatTime(row.createdAt, locale)}</dd>
<dt>${t.lastUsed}</dt><dd>${row.lastUsedAt ? formatTime(row.lastUsedAt, locale) : t.never}</dd>
</dl>
<form method="post" action="/account/connections/revoke${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="client_id" value="${row.clientId}">
<button type="submit" class="secondary" aria-label="${row.partnerName} ${t.revoke}">${t.revoke}</button>
</form>
</li>`,
      )}</ul>`;
  render(ctx, app, locale, t.title, html`${session.flash ? html`<p class="flash" role="status">${session.flash}</p>` : ''}
<p>${t.listLead}</p>
${list}
<form method="post" action="/account/connections/logout${suffix(locale)}">
<input type="hidden" name="csrf" value="${session.csrf}">
<div class="actions"><button type="submit" class="secondary">${t.logout}</button></div>
</form>`);
}
