import { maskAccountNumber, type BankAccount } from '../../src/accounts/account-source/bank-account.js';
import { requestedAccountAccess, type AccountAction } from '../../src/provider/rar-account-information.js';
import { html, type SafeHtml } from '../../src/shared/html.js';
import { STEP_ERROR_ID } from '../auth/form-fields.js';
import type { InteractionView } from '../interaction-context.js';
import { stepErrorBlock } from '../step-page.js';

const FIELD_PREFIX = 'account_';

/** What the authorization request asks about accounts (its scopes and authorization_details). */
export function accountAccessOf(view: InteractionView): { actions: AccountAction[]; locations: string[] } {
  const { scope, authorization_details: raw } = view.details.params as { scope?: unknown; authorization_details?: unknown };
  let details: unknown;
  try {
    details = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    details = undefined;
  }
  return requestedAccountAccess(typeof scope === 'string' ? scope : '', Array.isArray(details) ? details : undefined);
}

/** `普通 001支店 ***4567 生活費`: the number masked but for its last four digits. */
export function accountLabel(texts: InteractionView['texts'], account: BankAccount): string {
  const type = texts.consent.accountTypes[account.type] ?? account.type;
  return [type, texts.consent.branch(account.branch), maskAccountNumber(account.number), account.nickname].filter(Boolean).join(' ');
}

/**
 * One checkbox per account in one fieldset; a single account comes checked, as do those already
 * chosen. `error`: the message, shown in the fieldset itself (the first box takes the focus, and
 * on a phone the page scrolls to it: a message at the top of the page would be out of sight);
 * every box points at it.
 */
export function accountFields(texts: InteractionView['texts'], accounts: readonly BankAccount[], checked: ReadonlySet<string>, error?: string): SafeHtml {
  const t = texts.consent;
  if (accounts.length === 0) return html`<p class="no-accounts">${t.noAccounts}</p>`;
  const invalid = error !== undefined;
  return html`<fieldset class="account-choice" aria-describedby="accounts-hint">
<legend>${t.accountsLegend}</legend>
${stepErrorBlock(texts, invalid ? { message: error } : undefined)}
<p id="accounts-hint" class="hint">${t.accountsHint}</p>
${accounts.map((account, index) => html`<div class="account-option"><input type="checkbox" id="${FIELD_PREFIX}${index}" name="${FIELD_PREFIX}${index}" value="${account.account_id}"${
    accounts.length === 1 || checked.has(account.account_id) ? html` checked` : ''}${
    invalid ? html` aria-invalid="true" aria-describedby="${STEP_ERROR_ID}"${index === 0 ? html` autofocus` : ''}` : ''}>
<label for="${FIELD_PREFIX}${index}">${accountLabel(texts, account)}</label></div>`)}
</fieldset>`;
}

/** The accounts ticked in the form, kept only if they are the customer's. */
export function chosenAccounts(form: ReadonlyMap<string, string>, accounts: readonly BankAccount[]): string[] {
  const own = new Set(accounts.map((a) => a.account_id));
  const ticked = new Set([...form].filter(([name]) => name.startsWith(FIELD_PREFIX)).map(([, value]) => value));
  return accounts.map((a) => a.account_id).filter((id) => ticked.has(id) && own.has(id));
}

const DATE = { ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long' }), en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'long' }) };

/** A connection's expiry as a date in Japan time (`2027年2月28日`, `28 February 2027`). */
export function expiryDate(at: number, locale: 'ja' | 'en'): string {
  return DATE[locale].format(at);
}
