import type { Context } from 'koa';
import type { AppContext } from '../../src/services.js';
import { checkDigitForm } from '../digit-challenge/check-digit-form.js';
import { TEXTS } from '../i18n.js';
import { checkLoginForm } from '../login/check-login-form.js';
import { withAttemptsLeft } from '../step-warnings.js';
import type { AccountSession } from './account-session.js';
import { redirectHome, sessionLocale, showConnections, type ConnectionsScreens } from './connections-form-flow.js';
import { renderConnectionsDigits, renderConnectionsLocked, renderConnectionsLogin } from './connections-pages.js';

/** 連携サービス管理's login: the journey's login check; a new session id once the password passed. */
export async function signInWithPassword(ctx: Context, app: AppContext, screens: ConnectionsScreens, session: AccountSession, form: ReadonlyMap<string, string>): Promise<void> {
  const locale = sessionLocale(ctx, session);
  const texts = TEXTS[locale];
  const result = await checkLoginForm(app, { ip: ctx.ip }, texts, form);
  if (result.outcome === 'locked') return renderConnectionsLocked(ctx, app, locale, texts.connections.title);
  if (result.outcome === 'failed') return renderConnectionsLogin(ctx, app, locale, session, result.error, 401, result.loginId);
  await screens.sessions.start(ctx, { locale, ...result.progress }, session);
  redirectHome(ctx, locale);
}

/** 連携サービス管理's digit challenge: the journey's digit check; then the list, under a new session id. */
export async function signInWithDigits(ctx: Context, app: AppContext, screens: ConnectionsScreens, session: AccountSession, form: ReadonlyMap<string, string>): Promise<void> {
  const locale = sessionLocale(ctx, session);
  const texts = TEXTS[locale];
  const result = await checkDigitForm(app, { ip: ctx.ip }, session.sub!, session.positions, form);
  if (result.outcome === 'unknown_customer') return redirectHome(ctx, locale);
  if (result.outcome === 'moved') {
    const current = { ...session, positions: result.positions };
    await screens.sessions.save(current);
    return showConnections(ctx, app, screens, current);
  }
  if (result.outcome === 'locked') return renderConnectionsLocked(ctx, app, locale, texts.connections.digitsTitle);
  if (result.outcome === 'failed') {
    return renderConnectionsDigits(ctx, app, locale, session, await withAttemptsLeft(app, result.customer, texts.digits.failed), 401);
  }
  if (result.outcome === 'malformed') return renderConnectionsDigits(ctx, app, locale, session, texts.digits.malformed, 400);
  const { customer, positionsForgotten } = result;
  // no secret answer was asked: a count that holds wrong answers stands (Lockout.resetUnlessAnswerDue)
  await Promise.all([positionsForgotten, app.lockout.resetUnlessAnswerDue(customer.sub)]);
  app.audit('login.success', { login_id: customer.loginId, sub: customer.sub, ip: ctx.ip, purpose: 'connections' });
  const { id: _id, csrf: _csrf, ...state } = session;
  await screens.sessions.start(ctx, { ...state, locale, digitsAt: Date.now() }, session);
  redirectHome(ctx, locale);
}
