/** Texts and helpers for the tests of the pages that must not be dead ends. Not a test file itself. */
export type Locale = 'ja' | 'en';

const PARTNER = 'テスト家計簿アプリ';

export const TEXTS = {
  ja: {
    loginTitle: 'API連携認証（利用登録）',
    failed: 'ログインIDまたはログインパスワードが正しくありません。',
    locked: 'このアカウントはロックされているため、ご利用いただけません。ロックの解除は、下記のお問い合わせ先までご連絡ください。',
    tryAgainIn5Minutes: '約5分後に、もう一度お試しください。',
    unavailableTitle: 'ただいまご利用いただけません',
    tryAgainIn5Seconds: '約5秒後に、もう一度お試しください。',
    expiredTitle: '有効期限が切れました',
    cancelledTitle: 'API連携を中止しました',
    badRequestTitle: 'API連携を続けられません',
    requestId: 'お問い合わせ番号',
    returnTo: '連携先に戻る',
    connectionsTitle: '連携サービス管理',
  },
  en: {
    loginTitle: 'API Connection Authentication (Registration)',
    failed: 'The login ID or login password is incorrect.',
    locked: 'This account is locked and cannot be used. To unlock it, please contact us as shown below.',
    tryAgainIn5Minutes: 'Please try again in about 5 minutes.',
    unavailableTitle: 'Service unavailable',
    tryAgainIn5Seconds: 'Please try again in about 5 seconds.',
    expiredTitle: 'This page has expired',
    cancelledTitle: 'Connection cancelled',
    badRequestTitle: 'Cannot continue',
    requestId: 'Reference number',
    returnTo: `Return to ${PARTNER}`,
    connectionsTitle: 'Connected services',
  },
} as const;

export interface ReturnForm {
  readonly method: string;
  readonly action: string;
  readonly fields: Record<string, string>;
  readonly label: string;
}

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The 連携先に戻る form of a page: how and where it leads, with its hidden fields and its button's label. */
export function returnForm(html: string): ReturnForm | undefined {
  const form = /<form class="return-to-partner" method="(get|post)" action="([^"]+)">(.*?)<\/form>/s.exec(html);
  if (!form) return undefined;
  const fields = Object.fromEntries([...form[3]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]));
  return { method: form[1]!, action: unescape(form[2]!), fields, label: unescape(/<button[^>]*>([^<]*)<\/button>/.exec(form[3]!)?.[1] ?? '') };
}

/** Where a browser goes when the GET form is submitted (the action with the fields as its query). */
export function returnUrl(form: ReturnForm): string {
  const url = new URL(form.action);
  url.search = new URLSearchParams(form.fields).toString();
  return url.href;
}
