import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { errors } from 'oidc-provider';
import { redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { recordInteractionResult } from '../interaction-result.js';
import { accountInformationOf, ACCOUNT_ACTIONS, ACCOUNT_INFORMATION, grantedDetail, type AccountInformationDetail } from '../../src/provider/rar-account-information.js';
import { accountAccessOf, chosenAccounts } from './account-choice.js';
import { findConsentGrant, grantToReplace } from './consent-grant.js';
import { grantManagementAction } from '../../src/grants/grant-management/grant-management-params.js';
import { revokeCustomerGrant } from '../../src/grants/revoke-customer-grant.js';
import { renderConsentPage } from './consent-page.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** On to where the finished consent continues (the interaction's resume). */
function sendOnToResult(ctx: Context, view: InteractionView): void {
  ctx.status = 303;
  ctx.redirect(view.details.returnTo);
}

/** Waits for the first submission to finish (then true: sent on); takes over if it failed and released or lost its claim. */
async function followFirstSubmission(ctx: Context, deps: FlowDeps, view: InteractionView, holder: string): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 50) {
    await sleep(50);
    const claim = await deps.progressStore.claimConsent(view.uid, holder);
    if (claim === 'claimed') return false;
    if (claim === 'finished') {
      sendOnToResult(ctx, view);
      return true;
    }
  }
  throw new errors.InvalidRequest('consent is already being processed');
}

/**
 * When account information is asked for: the customer's choice of accounts (at least one, when
 * they have any) with every action allowed so far on this grant and now. 'none_chosen' when the
 * customer ticked none; undefined when the request is not about accounts.
 */
async function accountChoice(deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<AccountInformationDetail | 'none_chosen' | undefined> {
  const access = accountAccessOf(view);
  const accountId = view.details.session?.accountId;
  if (!access.actions.length || !accountId) return undefined;
  const accounts = await deps.app.accountSource.listAccounts(accountId);
  const chosen = chosenAccounts(form, accounts);
  if (accounts.length && !chosen.length) return 'none_chosen';
  const earlier = accountInformationOf((await findConsentGrant(deps, view, accountId))?.rar);
  const actions = ACCOUNT_ACTIONS.filter((action) => access.actions.includes(action) || earlier?.actions.includes(action));
  return grantedDetail(actions, [...new Set([...(earlier?.locations ?? []), ...access.locations])], chosen);
}

/** Writes the grant and the interaction's result; gives where the browser continues. */
async function grantConsent(ctx: Context, deps: FlowDeps, view: InteractionView, choice: AccountInformationDetail | undefined): Promise<string> {
  const { app } = deps;
  const { details } = view;
  const accountId = details.session?.accountId;
  if (!accountId) throw new errors.InvalidRequest('no authenticated customer for this consent');
  const { Grant } = app.provider;
  const action = grantManagementAction(details.params);
  // the login ID for the audit lines: the login step's progress ended with its interaction
  const [replacing, loginId] = await Promise.all([grantToReplace(deps, view, accountId), app.customers.loginIdOf(accountId)]);
  const grant = (await findConsentGrant(deps, view, accountId)) ?? new Grant({ accountId, clientId: view.clientId, ...(replacing ? { jti: replacing } : {}) });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  if (choice) grant.rar = [...(grant.rar ?? []).filter((detail) => detail.type !== ACCOUNT_INFORMATION), choice];
  const grantId = await grant.save();
  const stored = await Grant.find(grantId);
  // Grant Management: what was issued under the grant before merge or replace stops working
  if (action === 'merge' || action === 'replace') await app.store.adapterFactory('RefreshToken').revokeByGrantId(grantId);

  let previous = await app.grants.find(accountId, view.clientId);
  if (action === 'create' && previous && previous.grantId !== grantId) {
    // one connection per partner: the grant created now takes the place of the earlier one
    await revokeCustomerGrant(app, accountId, previous, { reason: 'grant_management', login_id: loginId, ip: ctx.ip });
    previous = undefined;
  }
  await app.grants.record(accountId, {
    grantId,
    clientId: view.clientId,
    scope: grant.getOIDCScope(),
    createdAt: previous?.grantId === grantId ? previous.createdAt : Date.now(),
    expiresAt: (stored?.exp ?? Math.floor(Date.now() / 1000) + app.settings.config.grant.ttlDays * 86400) * 1000,
    ...(previous?.lastUsedAt ? { lastUsedAt: previous.lastUsedAt } : {}),
  });
  const returnTo = await recordInteractionResult(view, { consent: { grantId } }, { mergeWithLastSubmission: true });
  await deps.progressStore.finishConsent(view.uid);
  app.audit('consent.granted', { sub: accountId, login_id: loginId, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, grant_id: grantId, scope: grant.getOIDCScope(), ...(choice ? { accounts: choice.accounts?.length ?? 0 } : {}) });
  return returnTo;
}

/**
 * 許可する: extends the customer's grant for this partner (or creates it) with what is missing,
 * and keeps the accounts the customer chose (authorization_details account_information).
 * A double submission is sent on to the first one's result: one grant, one code. When the
 * store fails half-way the claim is released (or lapses by itself), so that 許可する works again
 * once the store is back.
 */
export async function submitConsent(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string> = new Map()): Promise<void> {
  const { progressStore } = deps;
  if (view.details.prompt.name !== 'consent') return redirectToCurrentStep(ctx, view.uid);
  const choice = await accountChoice(deps, view, form);
  if (choice === 'none_chosen') return renderConsentPage(ctx, deps, view, { message: view.texts.consent.chooseAccount, accounts: true });
  // this submission's own claim: a claim command that timed out may still be carried out by the
  // store later, so it is released too, but never another submission's
  const holder = randomUUID();
  const releaseAndRethrow = async (error: unknown): Promise<never> => {
    await progressStore.releaseConsent(view.uid, holder).catch(() => undefined);
    throw error;
  };
  const claim = await progressStore.claimConsent(view.uid, holder).catch(releaseAndRethrow);
  if (claim === 'finished') return sendOnToResult(ctx, view);
  if (claim === 'taken' && (await followFirstSubmission(ctx, deps, view, holder))) return;
  const returnTo = await grantConsent(ctx, deps, view, choice).catch(releaseAndRethrow);
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/** 中止する on any screen: the partner gets `access_denied` (with its state). */
export async function abortInteraction(ctx: Context, deps: FlowDeps, view: InteractionView): Promise<void> {
  const { app } = deps;
  if (view.details.prompt.name === 'consent') {
    const accountId = view.details.session?.accountId;
    const loginId = accountId ? await app.customers.loginIdOf(accountId) : undefined;
    app.audit('consent.denied', { sub: accountId, login_id: loginId, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid });
  }
  const returnTo = await recordInteractionResult(view, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
  await deps.progressStore.finish(view.uid);
  ctx.status = 303;
  ctx.redirect(returnTo);
}
