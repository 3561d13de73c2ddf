import Router from '@koa/router';
import type { Context } from 'koa';
import { onlyMethods } from '../only-methods.js';
import { respondWithError } from '../../src/shared/error-handler.js';
import { requestLocale, supportedUiLocale, type Locale } from '../../src/shared/locale.js';
import type { AppContext } from '../../src/services.js';
import { permissionLines } from '../consent/consent-page.js';
import { customerFormChecks } from '../form-checks/customer-form-checks.js';
import { loadedFormSubject, postedForm, type FormRule } from '../form-checks/customer-form.js';
import { FormAnswers, type FormHome } from '../form-answers.js';
import { redisKeys } from '../../src/storage/redis-keys.js';
import { AccountSessions, type AccountSession } from './account-session.js';
import { confirmRevocation, logOut, revokeConnection, type ConnectionsAction } from './connections-actions.js';
import { connectionAccounts, editAccounts, saveAccounts } from './connection-accounts.js';
import { CONNECTIONS_HOME, connectionsHomeIn } from './connections-home.js';
import { connectionsFormFlow, sessionLocale, showConnections, useLocaleForErrors, type ConnectionsScreens } from './connections-form-flow.js';
import type { ConnectionRow } from './connections-pages.js';
import { signInWithDigits, signInWithPassword } from './connections-sign-in.js';

/** Which checks each form of 連携サービス管理 passes (form-checks/customer-form-checks), and what it does. */
const FORMS: ReadonlyArray<readonly [path: string, rule: FormRule, action: ConnectionsAction]> = [
  ['login', { step: 'login', throttled: true }, signInWithPassword],
  ['digits', { step: 'digits', throttled: true }, signInWithDigits],
  ['revoke/confirm', { step: 'done', throttled: true }, confirmRevocation],
  ['revoke', { step: 'done', throttled: true }, revokeConnection],
  ['accounts/edit', { step: 'done', throttled: true }, editAccounts],
  ['accounts', { step: 'done', throttled: true }, saveAccounts],
  ['logout', { throttled: true }, logOut],
];

/** 連携サービス管理: the customer's own view of partners holding access, after password + digits. */
export function connectionsRoutes(app: AppContext): Router {
  const sessions = new AccountSessions(app.store.kv, app.settings.config.ttl.interactionSeconds);
  const screens: ConnectionsScreens = {
    sessions,
    async rowsFor(sub: string, locale: Locale): Promise<ConnectionRow[]> {
      const summaries = await app.grants.listForCustomer(sub);
      return Promise.all(
        summaries.map(async (summary) => {
          const client = await app.provider.Client.find(summary.clientId);
          return {
            ...summary, partnerName: client?.clientName ?? summary.clientId, permissions: permissionLines(app.settings.config.scopes, summary.scope, locale),
            ...(await connectionAccounts(app, sub, summary, locale)),
          };
        }),
      );
    },
  };
  const flow = connectionsFormFlow(app, screens);
  const formAnswers = new FormAnswers(app.store.kv, redisKeys.accountSessionShownPage);
  // a page is kept for the session the form was answered in (its id as the browser holds it afterwards)
  const sessionHome = (ctx: Context): FormHome | undefined => {
    const session = loadedFormSubject<AccountSession>(ctx);
    return session ? { holder: session.id, address: connectionsHomeIn(sessionLocale(ctx, session)) } : undefined;
  };
  const router = new Router();

  // the language: `?ui_locales=` when given (and kept by the session from then on), else the session's, else Accept-Language
  router.get(CONNECTIONS_HOME, async (ctx) => {
    useLocaleForErrors(ctx, app, requestLocale(ctx, ctx.query.ui_locales));
    let session: AccountSession = await sessions.current(ctx, requestLocale(ctx, ctx.query.ui_locales));
    const asked = supportedUiLocale(ctx.query.ui_locales);
    if (asked && asked !== session.locale) {
      session = { ...session, locale: asked };
      await sessions.save(session);
    }
    if (await formAnswers.show(ctx, session.id)) return;
    await showConnections(ctx, app, screens, session);
  });

  for (const [path, rule, action] of FORMS) {
    // the address of a page a form answered, opened again: 405 in the page's language, with the contact
    router.all(`${CONNECTIONS_HOME}/${path}`, onlyMethods(['POST'], (ctx) => {
      useLocaleForErrors(ctx, app, requestLocale(ctx, ctx.query.ui_locales));
      respondWithError(ctx, 405, '');
    }));
    router.post(`${CONNECTIONS_HOME}/${path}`, formAnswers.seeOther(sessionHome), ...customerFormChecks(app, flow, rule), async (ctx) => {
      const { subject, fields } = postedForm<AccountSession>(ctx);
      await action(ctx, app, screens, subject, fields);
    });
  }
  // anything else under its address: not found, in its language, with the way back to its first page
  router.all(`${CONNECTIONS_HOME}/*rest`, (ctx) => {
    useLocaleForErrors(ctx, app, requestLocale(ctx, ctx.query.ui_locales));
    respondWithError(ctx, 404, '');
  });
  return router;
}
