// Redis bytes a server keeps: per customer journey, and per active grant as it is refreshed.
import { Browser, basicAuthorization, walkJourney } from './journey.mjs';
import { bytesAdded, memorySnapshot } from './redis-probe.mjs';

// access tokens live their 10 minutes whatever the grant does; the goal is about the rest
const isAccessToken = (key) => key.includes('AccessToken');

/** `journeys` first-time journeys (one customer each, fresh browsers): the bytes they leave, per journey. */
export async function bytesPerJourney(redis, prefix, server, journeys) {
  const customers = await server.process.call('customers', { count: journeys });
  const before = await memorySnapshot(redis, prefix);
  for (const customer of customers) {
    await walkJourney({ browser: new Browser(server.issuer), endpoints: server.endpoints, client: server.seed.client, customer });
  }
  const added = bytesAdded(before, await memorySnapshot(redis, prefix));
  return {
    perJourney: added.total / journeys,
    perJourneyByPattern: Object.fromEntries(Object.entries(added.byPattern).map(([pattern, b]) => [pattern, Math.round(b / journeys)])),
  };
}

/** One grant with its tokens (access tokens not counted): its bytes after 1, refreshes / 2 and refreshes refreshes. */
export async function grantBytes(redis, prefix, server, refreshes) {
  const [customer] = await server.process.call('customers', { count: 1 });
  const before = await memorySnapshot(redis, prefix);
  const { refreshToken } = await server.process.call('mintTokens', { accountId: customer.sub });
  const refresh = async () => {
    const response = await fetch(server.endpoints.token, {
      method: 'POST', headers: { authorization: basicAuthorization(server.seed.client), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    if (response.status !== 200) throw new Error(`refresh on ${server.name}: ${response.status} ${await response.text()}`);
    await response.body?.cancel();
  };
  const measure = async () => bytesAdded(before, await memorySnapshot(redis, prefix), isAccessToken);
  const after = {};
  for (let done = 0; done < refreshes; done++) {
    await refresh();
    if (done + 1 === 1 || done + 1 === refreshes / 2 || done + 1 === refreshes) after[done + 1] = await measure();
  }
  return {
    grantAfterOneRefresh: after[1].total,
    grantAfterHalfTheRefreshes: after[refreshes / 2].total,
    grantAfterManyRefreshes: after[refreshes].total,
    grantByPattern: after[refreshes].byPattern,
  };
}
