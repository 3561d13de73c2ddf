import { html, type SafeHtml } from '../../src/shared/html.js';
import type { Texts } from '../i18n.js';

/** ログインID + ログインパスワード, shared by the authorization flow and 連携サービス管理. */
export function loginFields(texts: Texts): SafeHtml {
  return html`<label for="login-id">${texts.login.loginId}</label>
<input type="text" id="login-id" name="login_id" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required>
<label for="password">${texts.login.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="128" required>`;
}

/** 入力桁数の指定: one labelled input (N桁目) per asked position. */
export function digitFields(texts: Texts, positions: readonly number[]): SafeHtml {
  return html`<h2>${texts.digits.heading}</h2>
<p>${texts.digits.lead}</p>
<div class="digit-inputs">
${positions.map(
  (position) => html`<div class="digit-input"><label for="digit-${position}">${texts.digits.label(position)}</label>
<input type="text" id="digit-${position}" name="digit_${position}" inputmode="numeric" autocomplete="off" maxlength="1" required></div>`,
)}
</div>`;
}
