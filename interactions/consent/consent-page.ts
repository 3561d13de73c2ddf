import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import type { RenkeiConfig } from '../../src/settings/types.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';
import { ACTION_SCOPES, accountInformationOf } from '../../src/provider/rar-account-information.js';
import { accountAccessOf, accountFields, expiryDate } from './account-choice.js';
import { findConsentGrant } from './consent-grant.js';

/** The permissions asked for, one line each, in the customer's language (hidden scopes left out). */
export function permissionLines(catalogue: RenkeiConfig['scopes'], scope: string, locale: 'ja' | 'en'): string[] {
  return scope
    .split(' ')
    .filter((name) => catalogue[name] && !catalogue[name].hidden)
    .map((name) => catalogue[name]![locale]);
}

/** The scopes asked for, with the account_information actions as the scopes they stand for (for the permission lines). */
function shownScope(view: InteractionView, actions: readonly (keyof typeof ACTION_SCOPES)[]): string {
  const asked = String(view.details.params.scope ?? '').split(' ').filter(Boolean);
  return [...new Set([...asked, ...actions.map((action) => ACTION_SCOPES[action])])].join(' ');
}

/** What the last 許可する could not do: its message, and whether the account choice is what is wrong. */
export interface ConsentError {
  readonly message: string;
  readonly accounts?: boolean;
}

/**
 * ご注意 (with a warning mark) and the manual's ※ lines naming the partner, the permissions asked
 * for, one line each, the customer's accounts to choose from when account information is asked
 * for, when the connection expires, and where access can be ended later.
 */
export async function renderConsentPage(ctx: Context, deps: FlowDeps, view: InteractionView, error?: ConsentError): Promise<void> {
  const t = view.texts.consent;
  const { config } = deps.app.settings;
  const accountId = view.details.session?.accountId;
  const access = accountAccessOf(view);
  const accounts = access.actions.length && accountId ? await deps.app.accountSource.listAccounts(accountId) : [];
  const grant = accountId ? await findConsentGrant(deps, view, accountId) : undefined;
  // after 許可する with none ticked, the boxes show what was sent; else the accounts the grant already holds
  const chosen = new Set(error?.accounts ? [] : accountInformationOf(grant?.rar)?.accounts ?? []);
  const expiresAt = grant?.exp ? grant.exp * 1000 : Date.now() + config.grant.ttlDays * 86_400_000;
  const lines = permissionLines(config.scopes, shownScope(view, access.actions), view.locale);
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/consent`,
    submitLabel: t.allow,
    // a message about the accounts is shown beside them (accountFields), any other at the top
    ...(error ? { ...(error.accounts ? {} : { error: { message: error.message } }), status: 400 } : {}),
    body: html`<section class="notice caution" aria-labelledby="consent-heading">
<h2 id="consent-heading"><span class="warning-mark" aria-hidden="true">⚠</span>${t.heading}</h2>
${t.notes(view.partnerName).map((line) => html`<p>${line}</p>`)}
</section>
<h2 id="permissions-heading">${t.permissionsHeading}</h2>
<ul class="permissions" aria-labelledby="permissions-heading">${lines.map((line) => html`<li>${line}</li>`)}</ul>
${access.actions.length ? accountFields(view.texts, accounts, chosen, error?.accounts ? error.message : undefined) : ''}
<p class="connection-expiry">${t.expiresOn(expiryDate(expiresAt, view.locale))}</p>
<p>${t.endAnyTime}<a href="/account/connections?ui_locales=${view.locale}">${t.manageLink}</a>${t.endAnyTimeTail}</p>`,
  });
}
