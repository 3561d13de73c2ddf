import type { RenkeiConfig } from '../../settings/types.js';
import type { AccountSource } from './account-source.js';
import { DirectoryAccounts } from './directory-accounts.js';
import { HttpAccountSource } from './http-account-source.js';

/** The account source `accounts.source` names. */
export function createAccountSource(config: RenkeiConfig['accounts'], directory: DirectoryAccounts): AccountSource {
  return config.source === 'http' ? new HttpAccountSource(config.http) : directory;
}
