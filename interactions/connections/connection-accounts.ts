import type { Context } from 'koa';
import type { BankAccount } from '../../src/accounts/account-source/bank-account.js';
import { narrowGrantAccounts } from '../../src/grants/narrow-grant-accounts.js';
import { accountInformationOf } from '../../src/provider/rar-account-information.js';
import { html, renderPage } from '../../src/shared/html.js';
import type { Locale } from '../../src/shared/locale.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/security-headers.js';
import type { AppContext } from '../../src/services.js';
import { accountFields, accountLabel, chosenAccounts, expiryDate } from '../consent/account-choice.js';
import { bankNameFor } from '../flow-deps.js';
import { TEXTS } from '../i18n.js';
import type { AccountSession } from './account-session.js';
import { expiryLine } from './connections-pages.js';
import type { ConnectionsAction } from './connections-actions.js';
import { redirectHome, sessionLocale } from './connections-form-flow.js';

/** What 連携サービス管理 shows of one partner's accounts: their labels (masked numbers) and the connection's expiry. */
export interface ConnectionAccounts {
  /** null when the partner was granted no account information */
  readonly accounts: readonly string[] | null;
  readonly expiresOn: string;
}

/** The accounts this grant lets the partner see, as the customer's accounts (an account gone from the source shows its ID). */
async function chosenFor(app: AppContext, sub: string, grantId: string): Promise<{ chosen: BankAccount[] | null; exp?: number | undefined }> {
  const grant = await app.provider.Grant.find(grantId);
  const ids = accountInformationOf(grant?.rar)?.accounts;
  if (!ids) return { chosen: null, exp: grant?.exp };
  const accounts = await app.accountSource.listAccounts(sub);
  return { chosen: ids.map((id) => accounts.find((a) => a.account_id === id) ?? { account_id: id, type: '普通', branch: '', number: id }), exp: grant?.exp };
}

export async function connectionAccounts(app: AppContext, sub: string, summary: { grantId: string; expiresAt: number }, locale: Locale): Promise<ConnectionAccounts> {
  const { chosen, exp } = await chosenFor(app, sub, summary.grantId);
  return {
    accounts: chosen ? chosen.map((account) => (account.branch ? accountLabel(TEXTS[locale], account) : account.account_id)) : null,
    expiresOn: expiryDate(exp ? exp * 1000 : summary.expiresAt, locale),
  };
}

/** The partner's accounts, all ticked; `invalid`: none was ticked, and the page shows them so, beside the message. */
async function renderEdit(ctx: Context, app: AppContext, locale: Locale, session: AccountSession, clientId: string, invalid: boolean): Promise<void> {
  const summary = await app.grants.find(session.sub!, clientId);
  const { chosen } = summary ? await chosenFor(app, session.sub!, summary.grantId) : { chosen: null };
  if (!summary || !chosen) return redirectHome(ctx, locale);
  const t = TEXTS[locale];
  const partner = (await app.provider.Client.find(clientId))?.clientName ?? clientId;
  ctx.status = invalid ? 400 : 200;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action 'self'`);
  ctx.type = 'html';
  ctx.body = renderPage({ locale, title: t.connections.editTitle, bankName: bankNameFor(app, locale), body: html`<h1>${t.connections.editTitle}</h1>
${expiryLine(app, locale, session)}
<p class="partner">${t.partner}: <strong class="partner-name">${partner}</strong></p>
<p>${t.connections.editLead(partner)}</p>
<form method="post" action="/account/connections/accounts?ui_locales=${locale}">
<input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="client_id" value="${clientId}">
${accountFields(t, chosen, invalid ? new Set() : new Set(chosen.map((a) => a.account_id)), invalid ? t.consent.chooseAccount : undefined)}
<div class="actions"><button type="submit" class="secondary" form="back-to-list">${t.connections.back}</button>
<button type="submit" class="primary">${t.connections.saveAccounts}</button></div>
</form>
<form id="back-to-list" method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="${locale}"></form>` });
}

/** 口座の変更: the partner's accounts with a checkbox each (all ticked). */
export const editAccounts: ConnectionsAction = async (ctx, app, _screens, session, form) => {
  await renderEdit(ctx, app, sessionLocale(ctx, session), session, form.get('client_id') ?? '', false);
};

/** 変更する: the partner keeps only the ticked accounts (at least one), the connection goes on. */
export const saveAccounts: ConnectionsAction = async (ctx, app, screens, session, form) => {
  const locale = sessionLocale(ctx, session);
  const clientId = form.get('client_id') ?? '';
  const summary = await app.grants.find(session.sub!, clientId);
  const { chosen } = summary ? await chosenFor(app, session.sub!, summary.grantId) : { chosen: null };
  if (!chosen) return redirectHome(ctx, locale);
  const keep = new Set(chosenAccounts(form, chosen));
  const outcome = await narrowGrantAccounts(app, session.sub!, clientId, keep, { login_id: session.loginId, ip: ctx.ip });
  if (outcome === 'none_left') return renderEdit(ctx, app, locale, session, clientId, true);
  if (outcome === 'narrowed') {
    const partner = (await app.provider.Client.find(clientId))?.clientName ?? clientId;
    await screens.sessions.save({ ...session, flash: TEXTS[locale].connections.accountsChanged(partner) });
  }
  redirectHome(ctx, locale);
};
