import type { Middleware } from 'koa';
import type { AppContext } from '../../src/services.js';
import { captureClientIp } from './capture-client-ip.js';
import type { FormFlow, FormRule } from './customer-form.js';
import { readStrictForm } from './read-strict-form.js';
import { rejectCrossSitePost } from './reject-cross-site-post.js';
import { readIpStandingEarly, rejectThrottledIp } from './reject-throttled-ip.js';
import { requireCsrfToken } from './require-csrf-token.js';
import { requireCurrentStep } from './require-current-step.js';
import { requireLiveSubject } from './require-live-subject.js';
import { sendFinishedOn } from './send-finished-on.js';

/**
 * The checklist every customer form passes, in order, on the authorization screens and on
 * 連携サービス管理 alike:
 *
 * | check                | why                                                              |
 * | -------------------- | ---------------------------------------------------------------- |
 * | captureClientIp      | the IP is read before the body (a failed read may close the socket); its throttle standing is sent for with the subject's reads |
 * | requireLiveSubject   | a live interaction bound to this browser, or the live session    |
 * | rejectCrossSitePost  | posted from our own site (defence in depth beside the token)     |
 * | sendFinishedOn       | a subject that has ended sends the browser on to its result      |
 * | readStrictForm       | a strict form within its size                                    |
 * | requireCsrfToken     | the CSRF token of this interaction or session                    |
 * | rejectThrottledIp    | the per-IP budget of failures not spent (where the rule says)    |
 * | requireCurrentStep   | the step the subject is at (where the rule names one)            |
 */
export function customerFormChecks<S>(app: AppContext, flow: FormFlow<S>, rule: FormRule): Middleware[] {
  const { issuer, config } = app.settings;
  const captureClientIpFirst: Middleware = async (ctx, next) => {
    captureClientIp(ctx);
    if (rule.throttled) readIpStandingEarly(ctx, app.throttle);
    await next();
  };
  const rejectCrossSitePosts: Middleware = async (ctx, next) => {
    rejectCrossSitePost(ctx, issuer);
    await next();
  };
  return [
    captureClientIpFirst,
    requireLiveSubject(flow),
    rejectCrossSitePosts,
    sendFinishedOn(flow),
    readStrictForm(flow, app.throttle),
    requireCsrfToken(flow),
    ...(rule.throttled ? [rejectThrottledIp(app.throttle, config.throttle.windowSeconds)] : []),
    ...(rule.step !== undefined ? [requireCurrentStep(flow, rule.step)] : []),
  ];
}
