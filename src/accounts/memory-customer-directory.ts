import type { Customer, CustomerDirectory } from './customer.js';

export class MemoryCustomerDirectory implements CustomerDirectory {
  private readonly bySub = new Map<string, string>();

  async findBySub(sub: string): Promise<Customer | undefined> {
    const json = this.bySub.get(sub);
    return json ? (JSON.parse(json) as Customer) : undefined;
  }

  async save(customer: Customer): Promise<void> {
    this.bySub.set(customer.sub, JSON.stringify(customer));
  }
}
