import Router from '@koa/router';
import { onlyMethods } from './only-methods.js';
import type { Context, Middleware } from 'koa';
import { respondWithError } from '../src/shared/error-handler.js';
import { StoreUnavailable } from '../src/storage/store-errors.js';
import { recallWentOn } from '../src/shared/interaction-memo.js';
import { showCompleted } from './completed-page.js';
import { submitAdditional } from './additional-auth/additional-step.js';
import { abortInteraction, submitConsent } from './consent/consent-step.js';
import { submitDigits } from './digit-challenge/digit-step.js';
import type { FlowDeps } from './flow-deps.js';
import { customerFormChecks } from './form-checks/customer-form-checks.js';
import { loadedFormSubject, postedForm, type FormRule } from './form-checks/customer-form.js';
import { InteractionExpired, loadInteraction, type InteractionView } from './interaction-context.js';
import { useBrowserMemoForErrors, useInteractionForErrors } from './interaction-errors.js';
import { journeyFormFlow, showCurrentStep } from './journey-form-flow.js';
import { submitLogin } from './login/login-step.js';
import { FormAnswers, type FormHome } from './form-answers.js';
import { redisKeys } from '../src/storage/redis-keys.js';

type StepHandler = (ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>) => Promise<void>;

/** The page saying the connection is cancelled, with 連携先に戻る answering `access_denied`. */
const showCancelled = (ctx: Context) => respondWithError(ctx, 200, '', { reason: 'cancelled', error: 'access_denied' });

/**
 * 中止する when the interaction cannot be read (expired, the store away): the customer's wish
 * needs nothing from it, so the page says the connection is cancelled and offers 連携先に戻る
 * with `access_denied`.
 */
function cancelWhenUnreadable(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof InteractionExpired || error instanceof StoreUnavailable)) throw error;
      showCancelled(ctx);
    }
  };
}

/**
 * A form of an interaction that is gone, posted by a browser that saw where it went (a stale tab,
 * Back then the button): sent to the interaction's address, which shows where (the next
 * interaction, the completed page, the cancelled page). Nothing of the form is acted on.
 */
function sendOnWhereItWent(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const uid = String(ctx.params.uid);
      if (!(error instanceof InteractionExpired) || !recallWentOn(ctx, uid)) throw error;
      ctx.status = 303;
      ctx.redirect(`/interaction/${encodeURIComponent(uid)}`);
    }
  };
}

/** Which checks each form of the authorization screens passes (form-checks/customer-form-checks). */
const FORMS: ReadonlyArray<readonly [path: string, rule: FormRule, handle: StepHandler]> = [
  ['login', { step: 'login', throttled: true }, submitLogin],
  ['digits', { step: 'digits', throttled: true }, submitDigits],
  ['additional', { step: 'additional', throttled: true }, submitAdditional],
  ['consent', { step: 'consent', throttled: false }, (ctx, deps, view, form) => submitConsent(ctx, deps, view, form)],
  ['abort', { throttled: false }, (ctx, deps, view) => abortInteraction(ctx, deps, view)],
];

export function interactionRoutes(deps: FlowDeps): Router {
  const router = new Router();
  const flow = journeyFormFlow(deps);
  const formAnswers = new FormAnswers(deps.app.store.kv, redisKeys.interactionShownPage);
  // only for a form of an interaction this browser holds (the checks loaded it): no other browser's
  // request can put a page where the customer's is kept
  const interactionHome = (ctx: Context): FormHome | undefined => {
    const view = loadedFormSubject<InteractionView>(ctx);
    return view ? { holder: view.uid, address: `/interaction/${encodeURIComponent(view.uid)}` } : undefined;
  };
  router.get('/interaction/:uid', async (ctx) => {
    const view = await loadInteraction(ctx, deps.app.provider, deps.progressStore).catch((error: unknown) => {
      // what the browser holds is looked at only when the interaction cannot be read: first, where
      // it went on from this one (Back from the consent, or after 許可する)
      const wentOn = recallWentOn(ctx, String(ctx.params.uid));
      if (wentOn) return wentOn;
      useBrowserMemoForErrors(ctx, deps);
      throw error;
    });
    if ('completed' in view) return showCompleted(ctx, deps);
    if ('cancelled' in view) {
      useBrowserMemoForErrors(ctx, deps);
      return showCancelled(ctx);
    }
    if ('nextUid' in view) {
      ctx.status = 303;
      ctx.redirect(`/interaction/${encodeURIComponent(view.nextUid)}`);
      return;
    }
    useInteractionForErrors(ctx, deps, view);
    if (await formAnswers.show(ctx, view.uid)) return;
    await showCurrentStep(ctx, deps, view);
  });
  for (const [path, rule, handle] of FORMS) {
    // the address of a page a form answered, opened again (Enter in the address bar): 405, in the
    // interaction's language, with the contact and 連携先に戻る
    router.all(`/interaction/:uid/${path}`, onlyMethods(['POST'], (ctx) => {
      useBrowserMemoForErrors(ctx, deps);
      respondWithError(ctx, 405, '');
    }));
    router.post(
      `/interaction/:uid/${path}`,
      // 中止する's own page is for an interaction that is gone: no GET of it could show it
      ...(path === 'abort' ? [cancelWhenUnreadable()] : [formAnswers.seeOther(interactionHome)]),
      sendOnWhereItWent(),
      ...customerFormChecks(deps.app, flow, rule),
      async (ctx) => {
        const { subject, fields } = postedForm<InteractionView>(ctx);
        await handle(ctx, deps, subject, fields);
      },
    );
  }
  // anything else at an interaction's address: its language and 連携先に戻る, as every page of it
  router.all('/interaction/:uid', onlyMethods(['GET', 'HEAD'], (ctx) => {
    useBrowserMemoForErrors(ctx, deps);
    respondWithError(ctx, 405, '');
  }));
  router.all('/interaction/:uid/*rest', (ctx) => {
    useBrowserMemoForErrors(ctx, deps);
    respondWithError(ctx, 404, '');
  });
  return router;
}
