import Router from '@koa/router';
import type { Context } from 'koa';
import { errors } from 'oidc-provider';
import { samePositions } from '../../src/accounts/digit-positions.js';
import { revokeCustomerGrant } from '../../src/grants/revoke-customer-grant.js';
import { respondWithError, useErrorContext } from '../../src/shared/error-handler.js';
import { pickLocale, type Locale } from '../../src/shared/locale.js';
import type { AppContext } from '../../src/services.js';
import { checkDigits } from '../auth/check-digits.js';
import { checkPassword } from '../auth/check-password.js';
import { permissionLines } from '../consent/consent-page.js';
import { bankNameFor } from '../flow-deps.js';
import { FormRejected, FormTooLarge, readForm } from '../form-body.js';
import { captureClientIp } from '../form-checks/capture-client-ip.js';
import { rejectCrossSitePost } from '../form-checks/reject-cross-site-post.js';
import { TEXTS } from '../i18n.js';
import { csrfMatches, currentStep } from '../progress.js';
import { AccountSessions, type AccountSession } from './account-session.js';
import { renderConnectionsDigits, renderConnectionsList, renderConnectionsLogin, renderRevokeConfirmation, type ConnectionRow } from './connections-pages.js';

const HOME = '/account/connections';

function home(ctx: Context, locale: Locale): void {
  ctx.status = 303;
  ctx.redirect(`${HOME}${locale === 'en' ? '?ui_locales=en' : ''}`);
}

async function rowsFor(app: AppContext, sub: string, locale: Locale): Promise<ConnectionRow[]> {
  const summaries = await app.grants.listForCustomer(sub);
  return Promise.all(
    summaries.map(async (summary) => {
      const client = await app.provider.Client.find(summary.clientId);
      return {
        ...summary,
        partnerName: client?.clientName ?? summary.clientId,
        permissions: permissionLines(app.settings.config.scopes, summary.scope, locale),
      };
    }),
  );
}

/** 連携サービス管理: the customer's own view of partners holding access, after password + digits. */
export function connectionsRoutes(app: AppContext): Router {
  const sessions = new AccountSessions(app.store.kv, app.settings.config.ttl.interactionSeconds);
  const router = new Router();

  async function show(ctx: Context, session: AccountSession, locale: Locale, error?: string, status?: number) {
    const step = currentStep(session);
    if (step === 'login') renderConnectionsLogin(ctx, app, locale, session, error, status);
    else if (step === 'digits') renderConnectionsDigits(ctx, app, locale, session, error, status);
    else renderConnectionsList(ctx, app, locale, session, await rowsFor(app, session.sub!, locale));
    if (session.flash) {
      const { flash: _shown, ...rest } = session;
      await sessions.save(rest);
    }
  }

  router.get(HOME, async (ctx) => {
    const locale = pickLocale(ctx.query.ui_locales);
    const session = await sessions.current(ctx);
    await show(ctx, session, locale);
  });

  /** A post from our own site, a strict form within its size, CSRF of this session, per-IP throttle; then the action. */
  function post(action: (ctx: Context, session: AccountSession, form: ReadonlyMap<string, string>, locale: Locale) => Promise<void>) {
    return async (ctx: Context) => {
      captureClientIp(ctx);
      const locale = pickLocale(ctx.query.ui_locales);
      useErrorContext(ctx, { locale, bankName: bankNameFor(app, locale), contact: app.settings.config.bank.contact });
      rejectCrossSitePost(ctx, app.settings.issuer);
      const session = await sessions.current(ctx);
      let form: ReadonlyMap<string, string>;
      try {
        form = await readForm(ctx);
      } catch (error) {
        if (!(error instanceof FormRejected || error instanceof FormTooLarge)) throw error;
        await app.throttle.recordFailure(ctx.ip);
        if (error instanceof FormTooLarge) throw error;
        return show(ctx, session, locale, TEXTS[locale].login.failed, 400);
      }
      if (!csrfMatches(session, form.get('csrf'))) throw new errors.InvalidRequest('the form has expired; please start again');
      if (await app.throttle.isBlocked(ctx.ip)) return respondWithError(ctx, 429, bankNameFor(app, locale), { retryAfterSeconds: app.settings.config.throttle.windowSeconds });
      await action(ctx, session, form, locale);
    };
  }

  router.post(`${HOME}/login`, post(async (ctx, session, form, locale) => {
    if (currentStep(session) !== 'login') return home(ctx, locale);
    const result = await checkPassword(app, { ip: ctx.ip }, form.get('login_id') ?? '', form.get('password') ?? '');
    if (result.outcome === 'locked') return show(ctx, session, locale, TEXTS[locale].login.locked, 403);
    if (result.outcome === 'failed') return show(ctx, session, locale, TEXTS[locale].login.failed, 401);
    const { customer } = result;
    await sessions.start(ctx, {
      sub: customer.sub,
      loginId: customer.loginId,
      passwordAt: Date.now(),
      positions: await app.digitPositions.current(customer),
    }, session);
    home(ctx, locale);
  }));

  router.post(`${HOME}/digits`, post(async (ctx, session, form, locale) => {
    if (currentStep(session) !== 'digits') return home(ctx, locale);
    const customer = await app.customers.findBySub(session.sub!);
    if (!customer) return home(ctx, locale);
    const positions = await app.digitPositions.current(customer);
    if (!samePositions(positions, session.positions)) {
      const current = { ...session, positions };
      await sessions.save(current);
      return show(ctx, current, locale);
    }
    const outcome = await checkDigits(app, { ip: ctx.ip }, customer, positions, form);
    if (outcome === 'locked') return show(ctx, session, locale, TEXTS[locale].login.locked, 403);
    if (outcome === 'failed') return show(ctx, session, locale, TEXTS[locale].digits.failed, 401);
    await app.digitPositions.renew(customer);
    await app.lockout.reset(customer.sub);
    app.audit('login.success', { login_id: customer.loginId, sub: customer.sub, ip: ctx.ip, purpose: 'connections' });
    const { id: _id, csrf: _csrf, ...state } = session;
    await sessions.start(ctx, { ...state, digitsAt: Date.now() }, session);
    home(ctx, locale);
  }));

  router.post(`${HOME}/revoke/confirm`, post(async (ctx, session, form, locale) => {
    if (currentStep(session) !== 'done') return home(ctx, locale);
    const row = (await rowsFor(app, session.sub!, locale)).find((candidate) => candidate.clientId === form.get('client_id'));
    if (!row) return home(ctx, locale);
    renderRevokeConfirmation(ctx, app, locale, session, row);
  }));

  router.post(`${HOME}/revoke`, post(async (ctx, session, form, locale) => {
    if (currentStep(session) !== 'done') return home(ctx, locale);
    const sub = session.sub!;
    const clientId = form.get('client_id') ?? '';
    const summary = await app.grants.find(sub, clientId);
    if (summary) {
      await revokeCustomerGrant(app, sub, summary, { reason: 'customer', login_id: session.loginId, ip: ctx.ip });
      const client = await app.provider.Client.find(clientId);
      await sessions.save({ ...session, flash: TEXTS[locale].connections.revoked(client?.clientName ?? clientId) });
    }
    home(ctx, locale);
  }));

  router.post(`${HOME}/logout`, post(async (ctx, session, _form, locale) => {
    await sessions.end(ctx, session);
    await sessions.start(ctx, { flash: TEXTS[locale].connections.loggedOut });
    home(ctx, locale);
  }));

  return router;
}
