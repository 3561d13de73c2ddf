import type { Context } from 'koa';
import { contactBlock, errorDetails, returnToPartnerButton } from '../src/shared/error-page.js';
import { html, renderPage, type SafeHtml } from '../src/shared/html.js';
import { CONTENT_SECURITY_POLICY } from '../src/shared/security-headers.js';
import type { BankContact } from '../src/settings/types.js';
import { STEP_ERROR_ID } from './auth/form-fields.js';
import { formActionSources, returnByAbortOf, returnToPartnerOf, type InteractionView } from './interaction-context.js';

/** A step's error as the routes give it (a message) or as the steps give it (with the attempts left). */
export function asStepError(error: string | StepError | undefined): StepError | undefined {
  return typeof error === 'string' ? { message: error } : error;
}

/** What went wrong on the last submission of a step. */
export interface StepError {
  readonly message: string;
  /** one or two attempts left before the account locks: the page says so */
  readonly attemptsLeft?: number | undefined;
}

export interface StepPage {
  readonly title: string;
  /** form fields (and any text) of the step */
  readonly body: SafeHtml;
  readonly action: string;
  readonly submitLabel: string;
  readonly error?: StepError | undefined;
  readonly status?: number;
  /** shown after the form (notes, links) */
  readonly footer?: SafeHtml;
}

/** Japan Standard Time, UTC+9 all year (no daylight saving): plain arithmetic, not Intl (~20 µs a screen). */
const JAPAN_OFFSET_MS = 9 * 3600 * 1000;
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `15:42`: hours (00–23) and minutes of the moment in Japan. */
export function timeInJapan(epochMs: number): string {
  const at = new Date(epochMs + JAPAN_OFFSET_MS);
  return `${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())}`;
}

/** `この画面の有効期限：15:42`, from the interaction's own expiry, in Japan time. */
function expiryLine(view: InteractionView): SafeHtml {
  return html`<p class="expires">${view.texts.login.expiresAt(timeInJapan(view.details.exp * 1000))}</p>`;
}

/** The message every field in error points at (aria-describedby), with the attempts left if few. */
export function stepErrorBlock(texts: InteractionView['texts'], error: StepError | undefined): SafeHtml | '' {
  if (!error) return '';
  return html`<div id="${STEP_ERROR_ID}" class="step-error"><p class="error-message" role="alert">${error.message}</p>${
    error.attemptsLeft ? html`<p class="attempts-left">${texts.login.attemptsLeft(error.attemptsLeft)}</p>` : ''
  }</div>`;
}

function partnerLine(view: InteractionView): SafeHtml {
  return html`<p class="partner">${view.texts.partner}: <strong class="partner-name">${view.partnerName}</strong></p>`;
}

function sendPage(ctx: Context, view: InteractionView, bankName: string, title: string, body: SafeHtml, status: number): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action ${formActionSources(view.redirectUris)}`);
  ctx.type = 'html';
  ctx.body = renderPage({ locale: view.locale, title, bankName, body: html`<h1>${title}</h1>\n${body}` });
}

/**
 * One screen of the flow: partner name, when the screen expires, optional error, the step's form
 * with its CSRF token, and 中止する as a separate form (so Enter submits the step, and cancelling
 * sends no secrets).
 */
export function renderStepPage(ctx: Context, view: InteractionView, bankName: string, page: StepPage): void {
  const { texts, uid, progress } = view;
  const csrf = html`<input type="hidden" name="csrf" value="${progress.csrf}">`;
  sendPage(ctx, view, bankName, page.title, html`${partnerLine(view)}
${expiryLine(view)}
${stepErrorBlock(texts, page.error)}
<form id="step-form" method="post" action="${page.action}">
${csrf}
${page.body}
<div class="actions">
<button type="submit" class="secondary" form="cancel-form">${texts.cancel}</button>
<button type="submit" class="primary">${page.submitLabel}</button>
</div>
</form>
<form id="cancel-form" method="post" action="/interaction/${uid}/abort">${csrf}</form>
${page.footer ?? ''}`, page.status ?? 200);
}

/**
 * The account is locked: a final page with no form to try again, saying how to unlock it (the
 * credit union's contact), and 連携先に戻る with `access_denied`. It keeps the title of the step
 * where the lock was met.
 */
export function renderLockedStep(ctx: Context, view: InteractionView, bankName: string, title: string, contact: BankContact): void {
  const returnTo = returnToPartnerOf(view, 'access_denied') ?? returnByAbortOf(view);
  sendPage(ctx, view, bankName, title, html`${partnerLine(view)}
<p class="error-message" role="alert">${view.texts.login.locked}</p>
${contactBlock(contact, view.locale)}
${returnToPartnerButton(returnTo, view.locale)}
${errorDetails(view.locale, undefined, ctx.state.requestId as string | undefined)}`, 403);
}
