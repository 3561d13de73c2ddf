import { bankNameIn, type Locale } from '../src/shared/locale.js';
import type { AppContext } from '../src/services.js';
import type { ProgressStore } from './progress.js';

/** What the customer screens are built from. */
export interface FlowDeps {
  readonly app: AppContext;
  readonly progressStore: ProgressStore;
}

export function bankNameFor(app: AppContext, locale: Locale): string {
  return bankNameIn(app.settings.config.bank, locale);
}
