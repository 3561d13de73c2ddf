import Router from '@koa/router';
import type { Context } from 'koa';
import { errors } from 'oidc-provider';
import { respondWithError, useErrorContext } from '../src/shared/error-handler.js';
import { renderAdditionalPage } from './additional-auth/additional-page.js';
import { submitAdditional } from './additional-auth/additional-step.js';
import { abortInteraction, submitConsent } from './consent/consent-step.js';
import { renderConsentPage } from './consent/consent-page.js';
import { renderDigitPage } from './digit-challenge/digit-page.js';
import { submitDigits } from './digit-challenge/digit-step.js';
import { bankNameFor, type FlowDeps } from './flow-deps.js';
import { FormRejected, FormTooLarge, isFormTooLarge, readForm } from './form-body.js';
import { captureClientIp } from './form-checks/capture-client-ip.js';
import { rejectCrossSitePost } from './form-checks/reject-cross-site-post.js';
import { loadInteraction, type InteractionView } from './interaction-context.js';
import { renderLoginPage } from './login/login-page.js';
import { submitLogin } from './login/login-step.js';
import { csrfMatches, currentStep, type Step } from './progress.js';
import { redirectToCurrentStep } from './finish-login.js';
import { returnToPartnerFor } from './return-to-partner.js';

type StepHandler = (ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>) => Promise<void>;

/** Shows whatever the interaction is at: the consent prompt, or the next login step. */
async function showCurrentStep(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string, status?: number): Promise<void> {
  if (view.details.prompt.name === 'consent') return renderConsentPage(ctx, deps, view);
  switch (currentStep(view.progress)) {
    case 'login':
      return renderLoginPage(ctx, deps, view, error, status);
    case 'digits':
      return renderDigitPage(ctx, deps, view, error, status);
    case 'additional': {
      const customer = await deps.app.customers.findBySub(view.progress.sub!);
      return renderAdditionalPage(ctx, deps, view, customer?.question ?? '', error, status);
    }
    case 'done':
      ctx.status = 303;
      return ctx.redirect(view.details.returnTo);
  }
}

const STEP_ERRORS = {
  login: (view: InteractionView) => view.texts.login.failed,
  digits: (view: InteractionView) => view.texts.digits.failed,
  additional: (view: InteractionView) => view.texts.additional.failed,
} as const;

/** Errors from here on are shown in the interaction's language, with the credit union's contact and 連携先に戻る. */
function useInteractionForErrors(ctx: Context, deps: FlowDeps, view: InteractionView): void {
  const { app } = deps;
  useErrorContext(ctx, {
    locale: view.locale,
    bankName: bankNameFor(app, view.locale),
    contact: app.settings.config.bank.contact,
    returnToFor: returnToPartnerFor(app.settings.issuer, view),
  });
}

/** The interaction a form was posted to; an oversized form is a 413 even when the interaction is gone. */
async function loadPostedInteraction(ctx: Context, deps: FlowDeps): Promise<InteractionView> {
  try {
    return await loadInteraction(ctx, deps.app.provider, deps.progressStore);
  } catch (error) {
    if (await isFormTooLarge(ctx).catch(() => false)) throw new FormTooLarge();
    throw error;
  }
}

/**
 * The checklist every form submission passes: the client IP taken before the body is read, a live
 * interaction bound to this browser, a post from our own site, a strict form within its size, the
 * CSRF token of this interaction, the per-IP throttle, and the right step (a replayed, skipped or
 * reordered step is sent back to the current one).
 */
function postStep(deps: FlowDeps, step: Exclude<Step, 'done'> | 'consent' | 'abort', handle: StepHandler) {
  const { issuer } = deps.app.settings;
  return async (ctx: Context) => {
    captureClientIp(ctx);
    const view = await loadPostedInteraction(ctx, deps);
    useInteractionForErrors(ctx, deps, view);
    rejectCrossSitePost(ctx, issuer);
    let form: ReadonlyMap<string, string>;
    try {
      form = await readForm(ctx);
    } catch (error) {
      if (!(error instanceof FormRejected || error instanceof FormTooLarge)) throw error;
      await deps.app.throttle.recordFailure(ctx.ip);
      if (error instanceof FormTooLarge) throw error;
      const message = step in STEP_ERRORS ? STEP_ERRORS[step as keyof typeof STEP_ERRORS](view) : undefined;
      return showCurrentStep(ctx, deps, view, message, 400);
    }
    if (!csrfMatches(view.progress, form.get('csrf'))) {
      throw new errors.InvalidRequest('the form has expired or was not sent by this page; please start again');
    }
    if (step === 'abort') return handle(ctx, deps, view, form);
    if (step !== 'consent' && (await deps.app.throttle.isBlocked(ctx.ip))) {
      return respondWithError(ctx, 429, bankNameFor(deps.app, view.locale), { retryAfterSeconds: deps.app.settings.config.throttle.windowSeconds });
    }
    const expected = view.details.prompt.name === 'consent' ? 'consent' : currentStep(view.progress);
    if (expected !== step) return redirectToCurrentStep(ctx, view.uid);
    return handle(ctx, deps, view, form);
  };
}

export function interactionRoutes(deps: FlowDeps): Router {
  const router = new Router();
  router.get('/interaction/:uid', async (ctx) => {
    const view = await loadInteraction(ctx, deps.app.provider, deps.progressStore);
    useInteractionForErrors(ctx, deps, view);
    await showCurrentStep(ctx, deps, view);
  });
  router.post('/interaction/:uid/login', postStep(deps, 'login', submitLogin));
  router.post('/interaction/:uid/digits', postStep(deps, 'digits', submitDigits));
  router.post('/interaction/:uid/additional', postStep(deps, 'additional', submitAdditional));
  router.post('/interaction/:uid/consent', postStep(deps, 'consent', (ctx, d, view) => submitConsent(ctx, d, view)));
  router.post('/interaction/:uid/abort', postStep(deps, 'abort', (ctx, d, view) => abortInteraction(ctx, d, view)));
  return router;
}
