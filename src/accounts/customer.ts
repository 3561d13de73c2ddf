import type { BankAccount } from './account-source/bank-account.js';
import type { SealedUserNumber } from './user-number-cipher.js';

export type CustomerStatus = 'active' | 'locked';

/** A bank customer as stored. Secrets only as Argon2id hashes or sealed (see SPEC §4). */
export interface Customer {
  readonly sub: string;
  /** canonical form (NFKC, trimmed, case-folded) */
  readonly loginId: string;
  readonly name: string;
  readonly status: CustomerStatus;
  readonly createdAt: number;
  readonly passwordHash: string;
  readonly userNumber: SealedUserNumber;
  readonly userNumberLength: number;
  readonly question: string;
  readonly answerHash: string;
  readonly lastLoginAt?: number;
  /** accounts.source directory: the accounts operators registered */
  readonly accounts?: readonly BankAccount[];
}

export interface NewCustomer {
  readonly loginId: string;
  readonly password: string;
  readonly userNumber: string;
  readonly question: string;
  readonly answer: string;
  readonly name?: string;
}
