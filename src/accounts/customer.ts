export type CustomerStatus = 'active' | 'locked';

/** A bank customer as the authorization server knows them (secrets are added by the journey issue). */
export interface Customer {
  readonly sub: string;
  readonly loginId: string;
  readonly name: string;
  readonly status: CustomerStatus;
  readonly createdAt: number;
}

/** The customer directory port: Redis in production, memory in development. */
export interface CustomerDirectory {
  findBySub(sub: string): Promise<Customer | undefined>;
  save(customer: Customer): Promise<void>;
}
