import type { Logger } from 'pino';
import { DirectoryAccounts } from '../accounts/account-source/directory-accounts.js';
import type { CustomerDirectory } from '../accounts/customer-directory.js';
import type { ClientRegistry } from '../clients/client-registry.js';

/** The demo customer printed at start (development only; production refuses RENKEI_DEMO=1). */
export const DEMO_CUSTOMER = {
  loginId: 'demo',
  password: 'renkei-demo-2026',
  userNumber: '12345678',
  question: '好きな色は？',
  answer: 'あお',
  name: 'デモ 花子',
} as const;

/** The demo customer's two accounts, to pick from at consent. */
export const DEMO_ACCOUNTS = [
  { type: '普通', branch: '001', number: '1234567', nickname: '生活費' },
  { type: '貯蓄', branch: '001', number: '7654321', nickname: 'ためる口座' },
] as const;

export const DEMO_CLIENT_ID = 'renkei-demo';

export interface DemoSetup {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly customer: typeof DEMO_CUSTOMER;
}

/** Seeds the demo customer (once) and the demo partner (with a fresh secret at every start). */
export async function seedDemo(issuer: string, clients: ClientRegistry, customers: CustomerDirectory, logger: Logger): Promise<DemoSetup> {
  if (!(await customers.findByLoginId(DEMO_CUSTOMER.loginId))) {
    const { sub } = await customers.create(DEMO_CUSTOMER);
    const accounts = new DirectoryAccounts(customers);
    for (const account of DEMO_ACCOUNTS) await accounts.add(sub, account);
  }
  const redirectUri = `${issuer}/demo/callback`;
  await clients.apply({
    client_id: DEMO_CLIENT_ID,
    client_name: 'デモ家計簿アプリ',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access accounts transactions transfers',
  });
  const clientSecret = await clients.rotateSecret(DEMO_CLIENT_ID);
  logger.info({ event: 'demo.seeded', client_id: DEMO_CLIENT_ID, login_id: DEMO_CUSTOMER.loginId }, 'demo partner and customer ready');
  return { clientId: DEMO_CLIENT_ID, clientSecret, redirectUri, customer: DEMO_CUSTOMER };
}
