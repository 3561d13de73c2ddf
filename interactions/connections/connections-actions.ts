import type { Context } from 'koa';
import { revokeCustomerGrant } from '../../src/grants/revoke-customer-grant.js';
import type { AppContext } from '../../src/services.js';
import { TEXTS } from '../i18n.js';
import type { AccountSession } from './account-session.js';
import { redirectHome, sessionLocale, type ConnectionsScreens } from './connections-form-flow.js';
import { renderRevokeConfirmation } from './connections-pages.js';

/** What the customer may do once signed in to 連携サービス管理. */
export type ConnectionsAction = (ctx: Context, app: AppContext, screens: ConnectionsScreens, session: AccountSession, form: ReadonlyMap<string, string>) => Promise<void>;

/** 連携解除, first step: the confirmation page of the partner named by the form. */
export const confirmRevocation: ConnectionsAction = async (ctx, app, screens, session, form) => {
  const locale = sessionLocale(ctx, session);
  const row = (await screens.rowsFor(session.sub!, locale)).find((candidate) => candidate.clientId === form.get('client_id'));
  if (!row) return redirectHome(ctx, locale);
  renderRevokeConfirmation(ctx, app, locale, session, row);
};

/** 連携解除, confirmed: the grant and every token under it end at once. */
export const revokeConnection: ConnectionsAction = async (ctx, app, screens, session, form) => {
  const locale = sessionLocale(ctx, session);
  const sub = session.sub!;
  const clientId = form.get('client_id') ?? '';
  const summary = await app.grants.find(sub, clientId);
  if (summary) {
    await revokeCustomerGrant(app, sub, summary, { reason: 'customer', login_id: session.loginId, ip: ctx.ip });
    const client = await app.provider.Client.find(clientId);
    await screens.sessions.save({ ...session, flash: TEXTS[locale].connections.revoked(client?.clientName ?? clientId) });
  }
  redirectHome(ctx, locale);
};

/** ログアウト: a new, signed-out session keeps the language. */
export const logOut: ConnectionsAction = async (ctx, _app, screens, session) => {
  const locale = sessionLocale(ctx, session);
  await screens.sessions.end(ctx, session);
  await screens.sessions.start(ctx, { locale, flash: TEXTS[locale].connections.loggedOut });
  redirectHome(ctx, locale);
};
