import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** What a receiver written from RFC 8935 checks before it answers 202. */
export interface ReceivedSet {
  readonly payload: JWTPayload & { events: Record<string, Record<string, unknown>>; sub_id: Record<string, unknown> };
  readonly header: { typ?: string; alg: string; kid?: string };
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
}

export type ReceiverMode = 'accept' | 'fail' | 'hang' | 'reject' | 'stale-key';

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A partner's SET receiver in the test process: verifies each SET with jose against the issuer's
 * JWKS (signature, typ, iss, aud) and keeps the ones it accepted; its mode makes it fail (500),
 * hang (no answer), refuse (400 invalid_request) or refuse the key as a receiver with a stale
 * JWKS would (400 invalid_key) instead.
 */
export class EventReceiver {
  readonly accepted: ReceivedSet[] = [];
  readonly refused: string[] = [];
  attempts = 0;
  mode: ReceiverMode = 'accept';
  private server: Server | undefined;
  private readonly hanging = new Set<() => void>();
  url = '';

  constructor(private readonly issuer: string, private readonly audience: string) {}

  async start(): Promise<this> {
    const jwks = createRemoteJWKSet(new URL(`${this.issuer}/jwks`));
    this.server = createServer(async (request, response) => {
      this.attempts++;
      const jwt = await body(request);
      if (this.mode === 'hang') {
        await new Promise<void>((resolve) => {
          this.hanging.add(resolve);
          request.socket.once('close', resolve);
        });
        response.destroy();
        return;
      }
      if (this.mode === 'fail') {
        response.writeHead(500).end();
        return;
      }
      if (this.mode === 'reject' || this.mode === 'stale-key') {
        const refusal = this.mode === 'reject' ? { err: 'invalid_request', description: 'not today' } : { err: 'invalid_key', description: 'unknown kid' };
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refusal));
        return;
      }
      try {
        const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { issuer: this.issuer, audience: this.audience, typ: 'secevent+jwt' });
        this.accepted.push({ payload: payload as ReceivedSet['payload'], header: protectedHeader as ReceivedSet['header'], authorization: request.headers.authorization, contentType: request.headers['content-type'] });
        response.writeHead(202).end();
      } catch (error) {
        this.refused.push((error as Error).message);
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err: 'invalid_request', description: (error as Error).message }));
      }
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
    return this;
  }

  /** the accepted SETs with this event type */
  of(type: string): ReceivedSet[] {
    return this.accepted.filter((set) => type in set.payload.events);
  }

  async waitFor(predicate: (accepted: readonly ReceivedSet[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.accepted)) {
      if (Date.now() > deadline) throw new Error(`the receiver did not get the expected events within ${timeoutMs} ms (has ${this.accepted.length}, ${this.attempts} attempts)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    for (const release of this.hanging) release();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
