import type { Context } from 'koa';
import { errors } from 'oidc-provider';
import { redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 許可する: extends the customer's grant for this partner (or creates it) with what is missing.
 * A double submission is answered with the first one's redirect: one grant, one code.
 */
export async function submitConsent(ctx: Context, deps: FlowDeps, view: InteractionView): Promise<void> {
  const { app, progressStore } = deps;
  const { details } = view;
  if (details.prompt.name !== 'consent') return redirectToCurrentStep(ctx, view.uid);

  if (!(await progressStore.claimConsent(view.uid))) {
    for (let waited = 0; waited < 5000; waited += 50) {
      const returnTo = await progressStore.consentRedirect(view.uid);
      if (returnTo) {
        ctx.status = 303;
        return ctx.redirect(returnTo);
      }
      await sleep(50);
    }
    throw new errors.InvalidRequest('consent is already being processed');
  }

  const accountId = details.session?.accountId;
  if (!accountId) throw new errors.InvalidRequest('no authenticated customer for this consent');
  const { Grant } = app.provider;
  const existing = details.grantId ? await Grant.find(details.grantId) : undefined;
  const grant = existing ?? new Grant({ accountId, clientId: view.clientId });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  const stored = await Grant.find(grantId);

  const previous = await app.grants.find(accountId, view.clientId);
  await app.grants.record(accountId, {
    grantId,
    clientId: view.clientId,
    scope: grant.getOIDCScope(),
    createdAt: previous?.grantId === grantId ? previous.createdAt : Date.now(),
    expiresAt: (stored?.exp ?? Math.floor(Date.now() / 1000) + app.settings.config.grant.ttlDays * 86400) * 1000,
    ...(previous?.lastUsedAt ? { lastUsedAt: previous.lastUsedAt } : {}),
  });
  app.audit('consent.granted', { sub: accountId, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, grant_id: grantId, scope: grant.getOIDCScope() });

  const returnTo = await app.provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  await progressStore.recordConsentRedirect(view.uid, returnTo);
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/** 中止する on any screen: the partner gets `access_denied` (with its state). */
export async function abortInteraction(ctx: Context, deps: FlowDeps, view: InteractionView): Promise<void> {
  const { app } = deps;
  if (view.details.prompt.name === 'consent') {
    app.audit('consent.denied', { sub: view.details.session?.accountId, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid });
  }
  const returnTo = await app.provider.interactionResult(
    ctx.req,
    ctx.res,
    { error: 'access_denied', error_description: 'End-User aborted interaction' },
    { mergeWithLastSubmission: false },
  );
  ctx.status = 303;
  ctx.redirect(returnTo);
}
