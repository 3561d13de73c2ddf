import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, land, registerPartner, startJourneyServer, uidPath } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server, { name: 'テスト家計簿アプリ <β>' });
});
afterAll(() => server.close());

describe('the partner on the screens', () => {
  it('names the partner (escaped) while it is enabled; once disabled, its screens are refused', async () => {
    const { browser, page } = await authorize(server, client);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('<strong class="partner-name">テスト家計簿アプリ &lt;β&gt;</strong>');

    const adapter = server.store.adapterFactory('Client');
    const record = (await adapter.find(client.clientId))!;
    await adapter.upsert(client.clientId, { ...record, disabled: true });
    const again = await land(browser, await browser.request(uidPath(page)));
    expect(again.response.status).toBeGreaterThanOrEqual(400);
    expect(again.html).not.toContain('name="csrf"');
    expect(again.html).not.toContain('テスト家計簿アプリ');
  });
});
