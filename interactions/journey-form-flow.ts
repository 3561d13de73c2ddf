import type { Context } from 'koa';
import { renderAdditionalPage } from './additional-auth/additional-page.js';
import { renderConsentPage } from './consent/consent-page.js';
import { renderDigitPage } from './digit-challenge/digit-page.js';
import { redirectToCurrentStep } from './finish-login.js';
import type { FlowDeps } from './flow-deps.js';
import type { FormFlow } from './form-checks/customer-form.js';
import { loadInteraction, type InteractionView } from './interaction-context.js';
import { useBrowserMemoForErrors, useInteractionForErrors } from './interaction-errors.js';
import { renderLoginPage } from './login/login-page.js';
import { currentStep } from './progress.js';

/** Shows whatever the interaction is at: the consent prompt, or the next login step. */
export async function showCurrentStep(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string, status?: number): Promise<void> {
  // a finished interaction (consent included) is 'done': the browser is sent on to its result
  if (view.details.prompt.name === 'consent' && !view.progress.finished) return renderConsentPage(ctx, deps, view, error ? { message: error } : undefined);
  switch (currentStep(view.progress)) {
    case 'login':
      return renderLoginPage(ctx, deps, view, error, status);
    case 'digits':
      return renderDigitPage(ctx, deps, view, error, status);
    case 'additional': {
      const customer = await deps.app.customers.findBySub(view.progress.sub!);
      return renderAdditionalPage(ctx, deps, view, customer, error, status);
    }
    case 'done':
      ctx.status = 303;
      return ctx.redirect(view.details.returnTo);
  }
}

/** The step an interaction is at, consent included. */
export const journeyStep = (view: InteractionView) => (view.details.prompt.name === 'consent' ? 'consent' : currentStep(view.progress));

/** The message a form that could not be read gets, on the step it is at. */
function refusedFormMessage(view: InteractionView): string | undefined {
  const step = journeyStep(view);
  if (step === 'login') return view.texts.login.failed;
  if (step === 'digits') return view.texts.digits.failed;
  if (step === 'additional') return view.texts.additional.failed;
  if (step === 'consent') return view.texts.unreadable;
  return undefined;
}

/** The authorization screens' forms, for the customer form checks. */
export function journeyFormFlow(deps: FlowDeps): FormFlow<InteractionView> {
  return {
    useBrowserForErrors: (ctx) => useBrowserMemoForErrors(ctx, deps),
    load: (ctx) => loadInteraction(ctx, deps.app.provider, deps.progressStore),
    useSubjectForErrors: (ctx, view) => useInteractionForErrors(ctx, deps, view),
    csrfToken: (view) => view.progress.csrf,
    currentStep: journeyStep,
    showFormRefused: (ctx, view) => showCurrentStep(ctx, deps, view, refusedFormMessage(view), 400),
    backToCurrentStep: (ctx, view) => redirectToCurrentStep(ctx, view.uid),
    finishedAt: (view) => (view.progress.finished ? view.details.returnTo : undefined),
  };
}
