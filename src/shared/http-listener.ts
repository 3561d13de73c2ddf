import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Limits on what a client may take of a listener: time to send headers and the whole request, idle keep-alive time, header size. */
export interface ListenerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
}

/**
 * Node looks for expired headers/request timeouts only every `connectionsCheckingInterval`
 * (30 s by default), so a slow client would outlive its timeout by up to that much.
 */
function checkingIntervalMs({ headersTimeoutMs, requestTimeoutMs }: ListenerLimits): number {
  return Math.max(100, Math.min(5000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}

/**
 * An HTTP listener with timeouts (408 for a request not received in time, 431 for headers over
 * the limit, 400 for what cannot be parsed: Node's bare status line, or `refusedAnswer`'s whole
 * response when given) that drains gracefully: see `drain`.
 */
export class HttpListener {
  readonly server: Server;
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;

  constructor(handler: RequestListener, limits: ListenerLimits, refusedAnswer?: (error: NodeJS.ErrnoException) => string) {
    this.server = createServer({
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: checkingIntervalMs(limits),
      // with an answer of our own, a request without its one Host gets it (Node's is a bare 400)
      requireHostHeader: !refusedAnswer,
    }, refusedAnswer ? withOneHost(handler, refusedAnswer) : handler);
    this.server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    // before the handler, so that a response is tracked before anything can be written
    this.server.prependListener('request', (_request, response) => this.track(response));
    if (refusedAnswer) {
      this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => refuse(socket, error, refusedAnswer));
      // no tunnels here: without a listener Node closes a CONNECT's socket with no answer at all
      this.server.on('connect', (_request, socket: Socket) => refuse(socket, Object.assign(new Error('CONNECT is not served'), { code: 'CONNECT_METHOD' }), refusedAnswer));
    }
  }

  private track(response: ServerResponse): void {
    this.inFlight.add(response);
    if (this.draining) response.shouldKeepAlive = false;
    response.once('close', () => {
      this.inFlight.delete(response);
      // a connection whose last response was already under way at the drain goes idle only now
      if (this.draining) setImmediate(() => this.server.closeIdleConnections());
    });
  }

  /**
   * Stops accepting connections, answers `Connection: close` on every response not yet started,
   * closes idle keep-alive connections (now and as they become idle), and resolves once every
   * connection is closed, cutting whatever is left after `graceMs`.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    for (const response of this.inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(cut);
  }
}

/**
 * RFC 9112 §3.2: an HTTP/1.1 request with no Host, or with more than one, is answered 400 (Node
 * lets a second Host through, and answers a missing one with a bare status line).
 */
function withOneHost(handler: RequestListener, answer: (error: NodeJS.ErrnoException) => string): RequestListener {
  return (request, response) => {
    let hosts = 0;
    for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
    if (hosts === 1 || (hosts === 0 && request.httpVersion === '1.0')) return handler(request, response);
    const error: NodeJS.ErrnoException = Object.assign(new Error(hosts ? 'more than one Host header' : 'no Host header'), { code: 'HOST_HEADER' });
    refuse(request.socket, error, answer);
  };
}

/**
 * What Node does by default on a client error, with our answer: nothing is written to a socket
 * that cannot take it or whose response has begun (a request timeout can strike while a response
 * is under way; Node keeps that response as the socket's `_httpMessage`).
 */
function refuse(socket: Socket, error: NodeJS.ErrnoException, answer: (error: NodeJS.ErrnoException) => string): void {
  const response = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(answer(error), () => socket.destroy());
}
