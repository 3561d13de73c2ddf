import { html, renderPage } from './html.js';
import type { Locale } from './locale.js';

interface ErrorText {
  readonly title: string;
  readonly message: string;
}

const TEXTS: Record<Locale, Record<'unavailable' | 'notFound' | 'badRequest' | 'tooMany' | 'server', ErrorText>> = {
  ja: {
    unavailable: { title: 'ただいまご利用いただけません', message: 'ただいまサービスをご利用いただけません。しばらく時間をおいてから、もう一度お試しください。' },
    notFound: { title: 'ページが見つかりません', message: 'お探しのページは見つかりませんでした。URLをご確認ください。' },
    badRequest: { title: 'API連携を続けられません', message: 'リクエストの内容に誤りがあるため、処理を続けられません。お手数ですが、連携先のサービスに戻って最初からやり直してください。' },
    tooMany: { title: 'しばらくお待ちください', message: '短時間に多くのリクエストがあったため、処理を停止しています。しばらく時間をおいてから、もう一度お試しください。' },
    server: { title: 'システムエラー', message: 'システムエラーが発生しました。しばらく時間をおいてから、もう一度お試しください。' },
  },
  en: {
    unavailable: { title: 'Service unavailable', message: 'The service is temporarily unavailable. Please try again in a little while.' },
    notFound: { title: 'Page not found', message: 'The page you were looking for could not be found. Please check the URL.' },
    badRequest: { title: 'Cannot continue', message: 'The request is not valid, so we cannot continue. Please go back to the service you came from and start again.' },
    tooMany: { title: 'Please wait', message: 'There were too many requests in a short time. Please try again in a little while.' },
    server: { title: 'System error', message: 'A system error occurred. Please try again in a little while.' },
  },
};

const LABELS: Record<Locale, { code: string; requestId: string }> = {
  ja: { code: 'エラーコード', requestId: 'お問い合わせ番号' },
  en: { code: 'Error code', requestId: 'Reference number' },
};

function textFor(status: number, locale: Locale): ErrorText {
  const texts = TEXTS[locale];
  if (status === 503) return texts.unavailable;
  if (status === 404) return texts.notFound;
  if (status === 429) return texts.tooMany;
  if (status >= 500) return texts.server;
  return texts.badRequest;
}

export interface ErrorPageInput {
  readonly status: number;
  readonly locale: Locale;
  readonly bankName: string;
  /** a public OAuth error code such as `invalid_request` (never a detail, never a stack) */
  readonly error?: string | undefined;
  readonly description?: string | undefined;
  readonly requestId?: string | undefined;
}

/** The Japanese (or English) error page. Shows only public codes, never internals. */
export function renderErrorPage({ status, locale, bankName, error, description, requestId }: ErrorPageInput): string {
  const text = textFor(status, locale);
  const labels = LABELS[locale];
  return renderPage({
    locale,
    bankName,
    title: text.title,
    body: html`<h1>${text.title}</h1>
<p class="error-message" role="alert">${text.message}</p>
<dl class="error-details">
${error ? html`<dt>${labels.code}</dt><dd><code>${error}</code>${description ? html` <span class="error-description">${description}</span>` : ''}</dd>` : ''}
${requestId ? html`<dt>${labels.requestId}</dt><dd><code>${requestId}</code></dd>` : ''}
</dl>`,
  });
}
