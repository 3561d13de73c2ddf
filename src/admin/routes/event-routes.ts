import Router from '@koa/router';
import type { FinishedEntry, OutboxEntry } from '../../events/event-outbox.js';
import type { AppContext } from '../../services.js';
import { notFound } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';

/** One event as operators see it (never the partner's Authorization value). */
interface EventRow {
  jti: string;
  client_id: string;
  type: string;
  grant_id: string | null;
  /** queued: not delivered yet (retrying when attempts > 0); delivered; dead: given up on */
  status: 'queued' | 'delivered' | 'dead';
  queued_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  finished_at: string | null;
}

const CLIENT_ID = { type: 'string', minLength: 1, maxLength: 128 };
const listGuard = guard<{ client?: string; failed?: 'true' | 'false' }>({
  type: 'object',
  additionalProperties: false,
  properties: { client: CLIENT_ID, failed: { enum: ['true', 'false'] } },
});
const verifyGuard = guard<{ client: string; state?: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['client'],
  properties: { client: CLIENT_ID, state: { type: 'string', minLength: 1, maxLength: 200 } },
});

const iso = (ms: number) => new Date(ms).toISOString();
const typeOf = (entry: { event: OutboxEntry['event'] }) => Object.keys(entry.event.claims?.events ?? {})[0] ?? 'unknown';

function queuedRow(entry: OutboxEntry): EventRow {
  return {
    jti: entry.event.claims.jti,
    client_id: entry.clientId,
    type: typeOf(entry),
    grant_id: entry.event.grantId ?? null,
    status: 'queued',
    queued_at: iso(entry.event.queuedAt),
    attempts: entry.retry?.attempts ?? 0,
    next_attempt_at: entry.retry ? iso(entry.retry.nextAttemptAt) : null,
    last_error: entry.retry?.lastError ?? null,
    finished_at: null,
  };
}

function finishedRow(entry: FinishedEntry, status: 'delivered' | 'dead'): EventRow {
  return {
    jti: entry.event.claims.jti,
    client_id: entry.clientId,
    type: typeOf(entry),
    grant_id: entry.event.grantId ?? null,
    status,
    queued_at: iso(entry.event.queuedAt),
    attempts: entry.attempts,
    next_attempt_at: null,
    last_error: entry.error ?? null,
    finished_at: iso(entry.at),
  };
}

/** The partners' event outboxes (SPEC §9): list, retry a dead-lettered or waiting event, request verification. */
export function eventRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/events' });
  /** The outboxes to list: one client's (404 when it is neither registered nor has an outbox: a typo), or all. */
  const clientIds = async (client?: string) => {
    if (!client) return app.eventOutbox.clientIds();
    if (!(await app.clients.get(client)) && !(await app.eventOutbox.clientIds()).includes(client)) throw notFound(`client ${client}`);
    return [client];
  };

  router.get('/', async (ctx) => {
    const query = listGuard({ ...ctx.query });
    const rows: EventRow[] = [];
    for (const clientId of await clientIds(query.client)) {
      const { queued, delivered, dead } = await app.eventOutbox.list(clientId);
      rows.push(...dead.map((e) => finishedRow(e, 'dead')), ...queued.map(queuedRow));
      if (query.failed !== 'true') rows.push(...delivered.map((e) => finishedRow(e, 'delivered')));
    }
    ctx.body = (query.failed === 'true' ? rows.filter((r) => r.status === 'dead' || r.attempts > 0) : rows)
      .sort((a, b) => a.queued_at.localeCompare(b.queued_at));
  });

  router.post('/:jti/retry', async (ctx) => {
    const jti = ctx.params.jti!;
    for (const clientId of await app.eventOutbox.clientIds()) {
      const outcome = await app.eventOutbox.retry(clientId, jti, Date.now());
      if (!outcome) continue;
      app.audit('client.event_retried', { client_id: clientId, jti, ip: ctx.ip, outcome: 'success', result: outcome });
      ctx.body = { jti, client_id: clientId, result: outcome };
      return;
    }
    throw notFound(`event ${jti} (queued or dead-lettered)`);
  });

  router.post('/verify', async (ctx) => {
    const { client, state } = verifyGuard(await readJson(ctx));
    const jti = await app.events.verify(client, state);
    if (!jti) throw notFound(`client ${client} with an events endpoint`);
    app.audit('client.event_verification_requested', { client_id: client, jti, ip: ctx.ip, outcome: 'success' });
    ctx.status = 202;
    ctx.body = { jti, client_id: client };
  });

  return router;
}
