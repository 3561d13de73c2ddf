import type { Locale } from './locale.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A trusted HTML fragment (already escaped). */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Tagged template that escapes every interpolated value unless it is SafeHtml (or a list of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    out += parts.map((part) => (part instanceof SafeHtml ? part.html : escapeHtml(part))).join('');
    out += strings[i + 1]!;
  });
  return new SafeHtml(out);
}

export const STYLESHEET_PATH = '/assets/renkei.css';
/** the one script: it submits the form of the page that hands an answer to the partner (form-post-page.ts) */
export const AUTOSUBMIT_SCRIPT_PATH = '/assets/autosubmit.js';

export interface PageOptions {
  readonly locale: Locale;
  readonly title: string;
  readonly bankName: string;
  readonly body: SafeHtml;
  /** replaces the bank's header (the demo partner's page is not the bank's) */
  readonly header?: SafeHtml;
}

/** The page shell every screen shares: no external resources, our stylesheet; no script but the auto-submit of form-post-page.ts. */
export function renderPage({ locale, title, bankName, body, header }: PageOptions): string {
  return html`<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
${header ?? html`<header class="site-header"><span class="bank-name">${bankName}</span></header>`}
<main class="card">
${body}
</main>
</body>
</html>
`.html;
}
