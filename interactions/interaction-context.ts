import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { pickLocale, type Locale } from '../src/shared/locale.js';
import { TEXTS, type Texts } from './i18n.js';
import type { LoginProgress, ProgressStore } from './progress.js';

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Everything a step needs about the interaction it serves. */
export interface InteractionView {
  readonly uid: string;
  readonly details: InteractionDetails;
  readonly clientId: string;
  readonly partnerName: string;
  readonly redirectUris: readonly string[];
  readonly locale: Locale;
  readonly texts: Texts;
  readonly progress: LoginProgress;
}

/**
 * Loads the interaction named by the URL through the provider (which checks it against the
 * browser's interaction cookie), and its server-side progress.
 */
export async function loadInteraction(ctx: Context, provider: Provider, progressStore: ProgressStore): Promise<InteractionView> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid) throw new errors.InvalidRequest('interaction does not match this browser session');
  const clientId = String(details.params.client_id);
  const client = await provider.Client.find(clientId);
  if (!client) throw new errors.InvalidClient('client is invalid');
  const locale = pickLocale(details.params.ui_locales);
  return {
    uid: details.uid,
    details,
    clientId,
    partnerName: client.clientName ?? clientId,
    redirectUris: client.redirectUris ?? [],
    locale,
    texts: TEXTS[locale],
    progress: await progressStore.loadOrStart(details.uid),
  };
}

/** Where the forms of this interaction may lead: ourselves, and (after redirects) the partner. */
export function formActionSources(redirectUris: readonly string[]): string {
  const sources = new Set(["'self'"]);
  for (const uri of redirectUris) {
    const url = URL.parse(uri);
    if (!url) continue;
    sources.add(url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol);
  }
  return [...sources].join(' ');
}
