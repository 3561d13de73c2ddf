import { html, type SafeHtml } from '../../src/shared/html.js';
import type { Texts } from '../i18n.js';

/** The id of the message a field in error points at (aria-describedby). */
export const STEP_ERROR_ID = 'step-error';

export interface FieldState {
  /** the fields carry aria-invalid and point at the step's message; the first one takes the focus */
  readonly invalid?: boolean;
}

function errorAttributes(invalid: boolean | undefined, first: boolean): SafeHtml {
  if (!invalid) return html``;
  return html` aria-invalid="true" aria-describedby="${STEP_ERROR_ID}"${first ? html` autofocus` : ''}`;
}

/**
 * ログインID + ログインパスワード, shared by the authorization flow and 連携サービス管理. After a
 * failure the login ID stays filled in (never the password).
 */
export function loginFields(texts: Texts, { invalid, loginId }: FieldState & { readonly loginId?: string | undefined } = {}): SafeHtml {
  return html`<label for="login-id">${texts.login.loginId}</label>
<input type="text" id="login-id" name="login_id" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required${loginId ? html` value="${loginId}"` : ''}${errorAttributes(invalid, true)}>
<label for="password">${texts.login.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="128" required${errorAttributes(invalid, false)}>`;
}

/** 入力桁数の指定 / 利用者番号を入力: one labelled input (N桁目) per asked position, in one fieldset. */
export function digitFields(texts: Texts, positions: readonly number[], { invalid }: FieldState = {}): SafeHtml {
  return html`<h2>${texts.digits.heading}</h2>
<p>${texts.digits.lead}</p>
<fieldset class="digit-inputs">
<legend>${texts.digits.legend}</legend>
${positions.map(
  (position, index) => html`<div class="digit-input"><label for="digit-${position}">${texts.digits.label(position)}</label>
<input type="text" id="digit-${position}" name="digit_${position}" inputmode="numeric" autocomplete="off" maxlength="1" required${errorAttributes(invalid, index === 0)}></div>`,
)}
</fieldset>`;
}
