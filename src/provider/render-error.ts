import type { Configuration } from 'oidc-provider';
import { renderErrorPage } from '../shared/error-page.js';
import { requestLocale } from '../shared/locale.js';
import type { RenkeiConfig } from '../settings/types.js';

/**
 * oidc-provider's HTML errors (requests that cannot be redirected) rendered as our error page:
 * the error code and the お問い合わせ番号, never oidc-provider's error_description.
 */
export function createRenderError(config: RenkeiConfig): NonNullable<Configuration['renderError']> {
  return async (ctx, out, error) => {
    const locale = requestLocale(ctx, ctx.oidc?.params?.ui_locales ?? ctx.query.ui_locales);
    const status = (error as { status?: number }).status ?? ctx.status ?? 400;
    ctx.type = 'html';
    ctx.body = renderErrorPage({
      status,
      locale,
      bankName: locale === 'ja' ? config.bank.nameJa : config.bank.nameEn,
      contact: config.bank.contact,
      error: out.error,
      requestId: ctx.state.requestId as string | undefined,
    });
  };
}
