import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { PROVIDER_PATHS } from '../src/provider/provider-endpoints.js';
import type { ReturnToPartner } from '../src/shared/error-page.js';
import { requestLocale, type Locale } from '../src/shared/locale.js';
import { TEXTS, type Texts } from './i18n.js';
import { recallInteraction, rememberInteraction } from '../src/shared/interaction-memo.js';
import type { LoginProgress, ProgressStore } from './progress.js';
import { partnerReturnOf, returnToPartner, type PartnerError, type PartnerReturn } from '../src/shared/return-to-partner.js';
import { CustomerPageError } from './form-checks/customer-page-error.js';

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** oidc-provider's description when the browser sends no interaction cookie at all. */
const NO_INTERACTION_COOKIE = 'interaction session id cookie not found';

/** Everything a step needs about the interaction it serves. */
export interface InteractionView {
  readonly uid: string;
  readonly details: InteractionDetails;
  readonly clientId: string;
  readonly partnerName: string;
  readonly redirectUris: readonly string[];
  /** chosen at the authorization request and kept for every page of the interaction */
  readonly locale: Locale;
  readonly texts: Texts;
  readonly progress: LoginProgress;
  /** the way back to the partner (連携先に戻る), where the request allows one */
  readonly partnerReturn: PartnerReturn | undefined;
  readonly issuer: string;
}

/** The interaction is gone (its lifetime passed, or this browser no longer holds it). */
export class InteractionExpired extends CustomerPageError {
  readonly reason = 'expired';
  constructor() {
    super(400, 'interaction_expired', 'interaction.expired');
  }
}

/**
 * The interaction, or InteractionExpired when this browser held it and it is gone (the browser
 * kept its memo, or still names the interaction). A browser that never held it gets the generic
 * error page.
 */
async function interactionDetails(ctx: Context, provider: Provider): Promise<InteractionDetails> {
  try {
    return await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    const heldHere = recallInteraction(ctx, String(ctx.params.uid)) !== undefined || error.error_description !== NO_INTERACTION_COOKIE;
    throw heldHere ? new InteractionExpired() : error;
  }
}

/**
 * Loads the interaction named by the URL through the provider (which checks it against the
 * browser's interaction cookie), and its server-side progress. The language is the one chosen at
 * the authorization request (`ui_locales`, else its Accept-Language, else Japanese), which the
 * request handed the browser in the interaction's memo; the consent's interaction inherits the
 * login's. Each screen tells the browser the
 * language and the way back (interaction-memo), for the pages that cannot read the interaction.
 */
export async function loadInteraction(ctx: Context, provider: Provider, progressStore: ProgressStore): Promise<InteractionView> {
  // progress before the interaction: a step saves the interaction's result before it drops the
  // progress, so a request that finds no progress here finds that result below. Where the store
  // keeps the order commands are sent in, both reads go out at once (one round trip).
  const progressRead = progressStore.load(String(ctx.params.uid));
  // when the interaction cannot be read, that is the failure to report
  progressRead.catch(() => undefined);
  if (!progressStore.keepsSendingOrder) await progressRead;
  const details = await interactionDetails(ctx, provider);
  const stored = await progressRead;
  if (details.uid !== ctx.params.uid) throw new errors.InvalidRequest('interaction does not match this browser session');
  const clientId = String(details.params.client_id);
  const client = await provider.Client.find(clientId);
  if (!client) throw new errors.InvalidClient('client is invalid');
  const partnerName = client.clientName ?? clientId;
  const redirectUris = client.redirectUris ?? [];
  // chosen at the authorization request (its memo, handed to the browser then), not by this request's headers
  const chosenLocale = () => recallInteraction(ctx, details.uid)?.locale ?? requestLocale(ctx, details.params.ui_locales);
  const progress = details.result
    ? finishedProgress(ctx, details, stored)
    : stored ?? await progressStore.start(details.uid, chosenLocale());
  const locale = progress.locale ?? chosenLocale();
  const partnerReturn = partnerReturnOf(details.params, { clientId, partnerName, redirectUris });
  // the screens renew it; a form posted from a screen finds it as that screen left it
  if (ctx.method === 'GET') rememberInteraction(ctx, details.uid, { locale, partnerReturn }, PROVIDER_PATHS.authorization);
  return {
    uid: details.uid,
    details,
    clientId,
    partnerName,
    redirectUris,
    locale,
    texts: TEXTS[locale],
    progress,
    partnerReturn,
    issuer: provider.issuer,
  };
}

/**
 * An interaction with its result: no CSRF token (no form of it is taken any more), its language
 * from its progress if still read, else from the browser's memo, else as at its start.
 */
function finishedProgress(ctx: Context, details: InteractionDetails, stored: LoginProgress | undefined): LoginProgress {
  const locale = stored?.locale ?? recallInteraction(ctx, details.uid)?.locale ?? requestLocale(ctx, details.params.ui_locales);
  return { csrf: '', locale, finished: true };
}

/** `連携先に戻る` with this error, where the interaction's request allows a way back. */
export function returnToPartnerOf(view: InteractionView, error: PartnerError): ReturnToPartner | undefined {
  return view.partnerReturn ? returnToPartner(view.issuer, view.partnerReturn, error) : undefined;
}

/**
 * 連携先に戻る by way of 中止する (`access_denied`), for a screen whose interaction is still there:
 * oidc-provider then answers the partner in the request's own response mode, also where the answer
 * must be a signed JWT (JARM), which `returnToPartnerOf` cannot build. Posted, with the CSRF token.
 */
export function returnByAbortOf(view: InteractionView): ReturnToPartner {
  const abort = new URL(`/interaction/${view.uid}/abort`, view.issuer);
  abort.searchParams.set('csrf', view.progress.csrf);
  return { partnerName: view.partnerName, url: abort.href, method: 'post' };
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
