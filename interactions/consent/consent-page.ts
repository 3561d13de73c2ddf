import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import type { RenkeiConfig } from '../../src/settings/types.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';

/** The permissions asked for, one line each, in the customer's language (hidden scopes left out). */
export function permissionLines(catalogue: RenkeiConfig['scopes'], scope: string, locale: 'ja' | 'en'): string[] {
  return scope
    .split(' ')
    .filter((name) => catalogue[name] && !catalogue[name].hidden)
    .map((name) => catalogue[name]![locale]);
}

/**
 * ご注意 (with a warning mark) and the manual's ※ lines naming the partner, the permissions asked
 * for, one line each, and where access can be ended later.
 */
export function renderConsentPage(ctx: Context, deps: FlowDeps, view: InteractionView): void {
  const t = view.texts.consent;
  const lines = permissionLines(deps.app.settings.config.scopes, String(view.details.params.scope ?? ''), view.locale);
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/consent`,
    submitLabel: t.allow,
    body: html`<section class="notice caution" aria-labelledby="consent-heading">
<h2 id="consent-heading"><span class="warning-mark" aria-hidden="true">⚠</span>${t.heading}</h2>
${t.notes(view.partnerName).map((line) => html`<p>${line}</p>`)}
</section>
<h2 id="permissions-heading">${t.permissionsHeading}</h2>
<ul class="permissions" aria-labelledby="permissions-heading">${lines.map((line) => html`<li>${line}</li>`)}</ul>
<p>${t.endAnyTime}<a href="/account/connections${view.locale === 'en' ? '?ui_locales=en' : ''}">${t.manageLink}</a>${t.endAnyTimeTail}</p>`,
  });
}
