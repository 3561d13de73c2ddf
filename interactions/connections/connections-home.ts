import type { Locale } from '../../src/shared/locale.js';

export const CONNECTIONS_HOME = '/account/connections';

/** 連携サービス管理's first page in a language: where its ways back and its redirects lead. */
export const connectionsHomeIn = (locale: Locale): string => `${CONNECTIONS_HOME}?ui_locales=${locale}`;
