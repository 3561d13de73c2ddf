import type { Context } from 'koa';
import { useErrorContext } from '../../src/shared/error-handler.js';
import { requestLocale, supportedUiLocale, type Locale } from '../../src/shared/locale.js';
import type { AppContext } from '../../src/services.js';
import { bankNameFor } from '../flow-deps.js';
import type { FormFlow } from '../form-checks/customer-form.js';
import { TEXTS } from '../i18n.js';
import { currentStep } from '../progress.js';
import type { AccountSession, AccountSessions } from './account-session.js';
import { connectionsHomeIn } from './connections-home.js';
import { renderConnectionsDigits, renderConnectionsList, renderConnectionsLocked, renderConnectionsLogin, type ConnectionRow } from './connections-pages.js';


/** The URL's `?ui_locales=` when given (the session's forms carry its own), else the session's, else the request's. */
export const sessionLocale = (ctx: Context, session: AccountSession): Locale =>
  supportedUiLocale(ctx.query.ui_locales) ?? session.locale ?? requestLocale(ctx, ctx.query.ui_locales);

/** Error pages of 連携サービス管理: in its language, with the bank's contact and the way back to its first page. */
export function useLocaleForErrors(ctx: Context, app: AppContext, locale: Locale): void {
  const backTo = { url: connectionsHomeIn(locale), label: TEXTS[locale].connections.backHome };
  useErrorContext(ctx, { locale, bankName: bankNameFor(app, locale), contact: app.settings.config.bank.contact, backTo });
}

export function redirectHome(ctx: Context, locale: Locale): void {
  ctx.status = 303;
  ctx.redirect(connectionsHomeIn(locale));
}

/** What 連携サービス管理 shows: the login, the digits, or the list of partners holding access. */
export interface ConnectionsScreens {
  readonly sessions: AccountSessions;
  rowsFor(sub: string, locale: Locale): Promise<ConnectionRow[]>;
}

/** The session's current screen, with an error when given; a flash message is shown once. */
export async function showConnections(ctx: Context, app: AppContext, screens: ConnectionsScreens, session: AccountSession, error?: string, status?: number): Promise<void> {
  const locale = sessionLocale(ctx, session);
  const step = currentStep(session);
  if (step === 'login') renderConnectionsLogin(ctx, app, locale, session, error, status);
  else if (step === 'digits') {
    // locked meanwhile (here or anywhere): the final page, not a form that can only fail
    const customer = await app.customers.findBySub(session.sub!);
    if (customer?.status === 'locked') renderConnectionsLocked(ctx, app, locale, TEXTS[locale].connections.digitsTitle);
    else renderConnectionsDigits(ctx, app, locale, session, error, status);
  }
  else renderConnectionsList(ctx, app, locale, session, await screens.rowsFor(session.sub!, locale), error, status);
  if (session.flash) {
    const { flash: _shown, ...rest } = session;
    await screens.sessions.save(rest);
  }
}

/** 連携サービス管理's forms, for the customer form checks (the same checklist as the authorization screens). */
export function connectionsFormFlow(app: AppContext, screens: ConnectionsScreens): FormFlow<AccountSession> {
  return {
    useBrowserForErrors: (ctx) => useLocaleForErrors(ctx, app, requestLocale(ctx, ctx.query.ui_locales)),
    load: (ctx) => screens.sessions.current(ctx, requestLocale(ctx, ctx.query.ui_locales)),
    useSubjectForErrors: (ctx, session) => useLocaleForErrors(ctx, app, sessionLocale(ctx, session)),
    csrfToken: (session) => session.csrf,
    currentStep: (session) => currentStep(session),
    showFormRefused: (ctx, session) => {
      const texts = TEXTS[sessionLocale(ctx, session)];
      const step = currentStep(session);
      return showConnections(ctx, app, screens, session, step === 'digits' ? texts.digits.failed : step === 'login' ? texts.login.failed : texts.unreadable, 400);
    },
    backToCurrentStep: (ctx, session) => redirectHome(ctx, sessionLocale(ctx, session)),
    // the session the form was for ran out (this one is new, at the login step): the login page
    // says so, instead of an error page that sends the customer back to a partner there is none of
    async answerStaleForm(ctx, session) {
      if (currentStep(session) !== 'login') return false;
      const locale = sessionLocale(ctx, session);
      renderConnectionsLogin(ctx, app, locale, session, undefined, 400, undefined, TEXTS[locale].connections.sessionExpired);
      return true;
    },
  };
}
