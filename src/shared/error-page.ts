import type { BankContact } from '../settings/types.js';
import { html, renderPage, type SafeHtml } from './html.js';
import type { Locale } from './locale.js';
import { waitInWords } from './wait-in-words.js';

interface ErrorText {
  readonly title: string;
  readonly message: string;
}

/** What happened, when the status alone does not say it. */
export type ErrorReason = 'locked' | 'expired' | 'cancelled';

type ErrorKind = 'unavailable' | 'notFound' | 'badRequest' | 'timeout' | 'tooMany' | 'server' | ErrorReason;

const TEXTS: Record<Locale, Record<ErrorKind, ErrorText>> = {
  ja: {
    unavailable: { title: 'ただいまご利用いただけません', message: 'ただいまサービスをご利用いただけません。しばらく時間をおいてから、もう一度お試しください。' },
    notFound: { title: 'ページが見つかりません', message: 'お探しのページは見つかりませんでした。URLをご確認ください。' },
    badRequest: { title: 'API連携を続けられません', message: 'リクエストの内容に誤りがあるため、処理を続けられません。お手数ですが、連携先のサービスに戻って最初からやり直してください。' },
    timeout: { title: '時間切れになりました', message: 'リクエストの受信に時間がかかりすぎたため、処理を中断しました。お手数ですが、もう一度お試しください。' },
    tooMany: { title: 'しばらくお待ちください', message: '短時間に多くのリクエストがあったため、処理を停止しています。しばらく時間をおいてから、もう一度お試しください。' },
    server: { title: 'システムエラー', message: 'システムエラーが発生しました。しばらく時間をおいてから、もう一度お試しください。' },
    locked: { title: 'アカウントがロックされています', message: 'このアカウントはロックされているため、ご利用いただけません。ロックの解除は、下記のお問い合わせ先までご連絡ください。' },
    expired: { title: '有効期限が切れました', message: 'この画面の有効期限が切れたため、処理を続けられません。お手数ですが、連携先のサービスに戻って最初からやり直してください。' },
    cancelled: { title: 'API連携を中止しました', message: 'API連携を中止しました。連携先のサービスにお戻りください。' },
  },
  en: {
    unavailable: { title: 'Service unavailable', message: 'The service is temporarily unavailable. Please try again in a little while.' },
    notFound: { title: 'Page not found', message: 'The page you were looking for could not be found. Please check the URL.' },
    badRequest: { title: 'Cannot continue', message: 'The request is not valid, so we cannot continue. Please go back to the service you came from and start again.' },
    timeout: { title: 'The request timed out', message: 'Your request took too long to arrive, so we stopped. Please try again.' },
    tooMany: { title: 'Please wait', message: 'There were too many requests in a short time, so we have paused. Please try again in a little while.' },
    server: { title: 'System error', message: 'A system error occurred. Please try again in a little while.' },
    locked: { title: 'Your account is locked', message: 'This account is locked and cannot be used. To unlock it, please contact us as shown below.' },
    expired: { title: 'This page has expired', message: 'This page has expired, so we cannot continue. Please go back to the service you came from and start again.' },
    cancelled: { title: 'Connection cancelled', message: 'You have cancelled the API connection. Please go back to the service you came from.' },
  },
};

/** What to do next on a page with no partner to return to (連携サービス管理, whose button leads to its first page). */
const START_AGAIN_HERE: Record<Locale, Partial<Record<ErrorKind, string>>> = {
  ja: {
    badRequest: 'リクエストの内容に誤りがあるため、処理を続けられません。お手数ですが、最初からやり直してください。',
    expired: 'この画面の有効期限が切れたため、処理を続けられません。お手数ですが、最初からやり直してください。',
  },
  en: {
    badRequest: 'The request is not valid, so we cannot continue. Please start again.',
    expired: 'This page has expired, so we cannot continue. Please start again.',
  },
};

/** The sentence that replaces "in a little while" once the wait is known. */
const RETRY_SENTENCE: Record<Locale, { tooMany: (wait: string) => string; unavailable: (wait: string) => string }> = {
  ja: {
    tooMany: (wait) => `短時間に多くのリクエストがあったため、処理を停止しています。${wait}、もう一度お試しください。`,
    unavailable: (wait) => `ただいまサービスをご利用いただけません。${wait}、もう一度お試しください。`,
  },
  en: {
    tooMany: (wait) => `There were too many requests in a short time, so we have paused. Please try again ${wait}.`,
    unavailable: (wait) => `The service is temporarily unavailable. Please try again ${wait}.`,
  },
};

const LABELS: Record<Locale, { code: string; requestId: string; contact: string; phone: string; hours: string; returnTo: (partner: string) => string; retry: string }> = {
  ja: { code: 'エラーコード', requestId: 'お問い合わせ番号', contact: 'お問い合わせ先', phone: '電話番号', hours: '受付時間', returnTo: () => '連携先に戻る', retry: 'もう一度試す' },
  en: { code: 'Error code', requestId: 'Reference number', contact: 'Contact us', phone: 'Phone', hours: 'Hours', returnTo: (partner) => `Return to ${partner}`, retry: 'Try again' },
};

function kindFor(status: number, reason: ErrorPageInput['reason']): ErrorKind {
  if (reason) return reason;
  if (status === 503) return 'unavailable';
  if (status === 404) return 'notFound';
  if (status === 408) return 'timeout';
  if (status === 429) return 'tooMany';
  if (status >= 500) return 'server';
  return 'badRequest';
}

/** Where `連携先に戻る` leads: the partner's redirect_uri with the OAuth error, computed by the caller. */
export interface ReturnToPartner {
  readonly partnerName: string;
  readonly url: string;
  /** `post` for `response_mode=form_post`: the parameters are posted, not put in the query */
  readonly method?: 'get' | 'post' | undefined;
}

/** The credit union's phone number and hours, in the customer's language. */
export function contactBlock(contact: BankContact, locale: Locale): SafeHtml {
  const labels = LABELS[locale];
  return html`<section class="contact" aria-labelledby="contact-title">
<h2 id="contact-title">${labels.contact}</h2>
<dl>
<dt>${labels.phone}</dt><dd><a href="tel:${contact.phone.replace(/[^0-9+]/g, '')}">${contact.phone}</a></dd>
<dt>${labels.hours}</dt><dd>${contact.hours[locale]}</dd>
</dl>
</section>`;
}

/**
 * A button back to the partner. A GET form drops the query of its action, so the redirect's
 * parameters travel as hidden fields (the browser puts them back in the same order); a form_post
 * partner receives the same fields posted.
 */
export function returnToPartnerButton(returnTo: ReturnToPartner, locale: Locale, emphasis: ButtonEmphasis = 'primary'): SafeHtml {
  return formButton('return-to-partner', returnTo.url, returnTo.method ?? 'get', LABELS[locale].returnTo(returnTo.partnerName), emphasis);
}

/** A button to a page of the bank's own, where there is no partner to return to. */
export const backButton = (backTo: BackLink, emphasis: ButtonEmphasis = 'primary'): SafeHtml => formButton('back', backTo.url, 'get', backTo.label, emphasis);

type ButtonEmphasis = 'primary' | 'secondary';

function formButton(className: string, target: string, method: 'get' | 'post', label: string, emphasis: ButtonEmphasis = 'primary'): SafeHtml {
  const url = new URL(target, 'http://relative.invalid');
  const fields = [...url.searchParams].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  url.search = '';
  const action = url.origin === 'http://relative.invalid' ? url.pathname : url.href;
  return html`<form class="${className}" method="${method}" action="${action}">${fields}<div class="actions"><button type="submit" class="${emphasis}">${label}</button></div></form>`;
}

/** A way back within the bank's own pages (連携サービス管理) where no partner is there to return to. */
export interface BackLink {
  /** a path on this server, its query kept */
  readonly url: string;
  readonly label: string;
}

export interface ErrorPageInput {
  readonly status: number;
  readonly locale: Locale;
  readonly bankName: string;
  /** a public OAuth error code such as `invalid_request` (never a detail, never a stack) */
  readonly error?: string | undefined;
  /** developer text (oidc-provider's error_description): accepted from callers, never shown to the customer */
  readonly description?: string | undefined;
  readonly requestId?: string | undefined;
  /** what happened, when the status alone does not say it */
  readonly reason?: ErrorReason | undefined;
  readonly contact?: BankContact | undefined;
  /** the wait announced in Retry-After, said in words on 429 and 503 pages */
  readonly retryAfterSeconds?: number | undefined;
  readonly returnTo?: ReturnToPartner | undefined;
  /** shown when there is no partner to return to */
  readonly backTo?: BackLink | undefined;
  /** on a 503, a path on this server that tries the same page again (もう一度試す), shown before the way back */
  readonly retryAt?: string | undefined;
}

function messageFor(kind: ErrorKind, locale: Locale, retryAfterSeconds: number | undefined, withinOurPages: boolean): string {
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0 && (kind === 'tooMany' || kind === 'unavailable')) {
    return RETRY_SENTENCE[locale][kind](waitInWords(retryAfterSeconds, locale));
  }
  return (withinOurPages ? START_AGAIN_HERE[locale][kind] : undefined) ?? TEXTS[locale][kind].message;
}

/** The error code and the お問い合わせ番号 (the request id, which staff find in the logs), when known. */
export function errorDetails(locale: Locale, error: string | undefined, requestId: string | undefined): SafeHtml | '' {
  if (!error && !requestId) return '';
  const labels = LABELS[locale];
  return html`<dl class="error-details">
${error ? html`<dt>${labels.code}</dt><dd><code>${error}</code></dd>` : ''}
${requestId ? html`<dt>${labels.requestId}</dt><dd><code>${requestId}</code></dd>` : ''}
</dl>`;
}

/**
 * The Japanese (or English) error page: a sentence in the customer's language, the error code and
 * the お問い合わせ番号; the credit union's contact and the way back to the partner when known.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  const { status, locale, bankName, error, requestId, contact, returnTo, backTo } = input;
  const kind = kindFor(status, input.reason);
  const title = TEXTS[locale][kind].title;
  // the customer's own choice, not a fault: said plainly, without an error code
  const chosen = kind === 'cancelled';
  // the page says to try again in a few seconds: a button does it (a reload would post the form again)
  const retry = status === 503 ? input.retryAt : undefined;
  const wayBack: ButtonEmphasis = retry ? 'secondary' : 'primary';
  return renderPage({
    locale,
    bankName,
    title,
    body: html`<h1>${title}</h1>
${chosen ? html`<p class="status-message" role="status">` : html`<p class="error-message" role="alert">`}${messageFor(kind, locale, input.retryAfterSeconds, !returnTo && backTo !== undefined)}</p>
${retry ? formButton('retry', retry, 'get', LABELS[locale].retry) : ''}
${returnTo ? returnToPartnerButton(returnTo, locale, wayBack) : backTo ? backButton(backTo, wayBack) : ''}
${contact ? contactBlock(contact, locale) : ''}
${errorDetails(locale, chosen ? undefined : error, requestId)}`,
  });
}
