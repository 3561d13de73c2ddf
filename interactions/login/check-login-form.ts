import type { AppContext } from '../../src/services.js';
import { checkPassword } from '../auth/check-password.js';
import type { FailureContext } from '../auth/record-failure.js';
import type { Texts } from '../i18n.js';
import type { LoginProgress } from '../progress.js';
import type { StepError } from '../step-page.js';

/** The login step's outcome, the same for the authorization screens and 連携サービス管理. */
export type LoginFormResult =
  | { readonly outcome: 'passed'; readonly progress: Required<Pick<LoginProgress, 'sub' | 'loginId' | 'passwordAt' | 'positions'>> }
  | { readonly outcome: 'failed'; readonly error: StepError; readonly loginId: string }
  | { readonly outcome: 'locked' };

/**
 * ログインID + ログインパスワード: on success, the progress to record (with the customer's digit
 * positions, fixed until answered correctly); on failure the generic message with the attempts
 * left, and the login ID as typed, to fill in again.
 */
export async function checkLoginForm(app: AppContext, where: FailureContext, texts: Texts, form: ReadonlyMap<string, string>): Promise<LoginFormResult> {
  const loginId = form.get('login_id') ?? '';
  const result = await checkPassword(app, where, loginId, form.get('password') ?? '');
  if (result.outcome === 'locked') return result;
  if (result.outcome === 'failed') return { outcome: 'failed', error: { message: texts.login.failed, attemptsLeft: result.attemptsLeft }, loginId };
  const { customer } = result;
  return {
    outcome: 'passed',
    progress: { sub: customer.sub, loginId: customer.loginId, passwordAt: Date.now(), positions: await app.digitPositions.current(customer) },
  };
}
