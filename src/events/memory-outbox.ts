import type { EventOutbox, FinishedEntry, OutboxEntry, OutboxEvent, OutboxListing, RetryState } from './event-outbox.js';
import { DELIVERED_HISTORY } from './event-outbox.js';

interface Stream {
  queued: OutboxEntry[];
  delivered: FinishedEntry[];
  dead: FinishedEntry[];
}

/** The development store's outbox: one process, so a plain in-memory queue per partner. */
export class MemoryOutbox implements EventOutbox {
  private readonly streams = new Map<string, Stream>();
  private sequence = 0;

  private stream(clientId: string): Stream {
    let stream = this.streams.get(clientId);
    if (!stream) this.streams.set(clientId, (stream = { queued: [], delivered: [], dead: [] }));
    return stream;
  }

  async append(clientId: string, event: OutboxEvent): Promise<void> {
    this.stream(clientId).queued.push({ id: `${Date.now()}-${this.sequence++}`, clientId, event });
  }

  async clientIds(): Promise<string[]> {
    return [...this.streams.keys()];
  }

  async lease(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}

  async head(clientId: string): Promise<OutboxEntry | undefined> {
    return this.stream(clientId).queued[0];
  }

  async scheduleRetry(entry: OutboxEntry, retry: RetryState): Promise<void> {
    const queued = this.stream(entry.clientId).queued;
    const index = queued.findIndex((e) => e.id === entry.id);
    if (index >= 0) queued[index] = { ...entry, retry };
  }

  private finish(entry: OutboxEntry): Stream {
    const stream = this.stream(entry.clientId);
    stream.queued = stream.queued.filter((e) => e.id !== entry.id);
    return stream;
  }

  async markDelivered(entry: OutboxEntry, at: number): Promise<void> {
    const stream = this.finish(entry);
    stream.delivered.push({ clientId: entry.clientId, event: entry.event, at, attempts: (entry.retry?.attempts ?? 0) + 1 });
    stream.delivered.splice(0, Math.max(0, stream.delivered.length - DELIVERED_HISTORY));
  }

  async deadLetter(entry: OutboxEntry, error: string, at: number): Promise<void> {
    this.finish(entry).dead.push({ clientId: entry.clientId, event: entry.event, at, attempts: (entry.retry?.attempts ?? 0) + 1, error });
  }

  async list(clientId: string): Promise<OutboxListing> {
    const { queued, delivered, dead } = this.stream(clientId);
    return { queued: [...queued], delivered: [...delivered], dead: [...dead] };
  }

  async retry(clientId: string, jti: string, now: number): Promise<'requeued' | 'rescheduled' | false> {
    const stream = this.stream(clientId);
    const dead = stream.dead.findIndex((d) => d.event.claims.jti === jti);
    if (dead >= 0) {
      const [entry] = stream.dead.splice(dead, 1);
      await this.append(clientId, { ...entry!.event, requeuedAt: now });
      return 'requeued';
    }
    const waiting = stream.queued.find((e) => e.event.claims.jti === jti);
    if (!waiting) return false;
    if (waiting.retry) await this.scheduleRetry(waiting, { ...waiting.retry, nextAttemptAt: now });
    return 'rescheduled';
  }
}
