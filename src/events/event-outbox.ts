import type { Sealed } from '../keys/data-cipher.js';
import type { QueuedEvent } from './event-types.js';

/** Where and how to push, as configured when the event was queued (used if the client is gone since). */
export interface DeliveryTarget {
  readonly endpoint: string;
  readonly authorizationSealed?: Sealed;
}

export interface OutboxEvent extends QueuedEvent {
  readonly target: DeliveryTarget;
}

/** A failed event's schedule. */
export interface RetryState {
  readonly attempts: number;
  /** epoch ms */
  readonly nextAttemptAt: number;
  readonly lastError: string;
}

export interface OutboxEntry {
  /** the stream entry id */
  readonly id: string;
  readonly clientId: string;
  readonly event: OutboxEvent;
  readonly retry?: RetryState;
}

export interface FinishedEntry {
  readonly clientId: string;
  readonly event: OutboxEvent;
  /** epoch ms */
  readonly at: number;
  readonly attempts: number;
  readonly error?: string;
}

export interface OutboxListing {
  readonly queued: readonly OutboxEntry[];
  readonly delivered: readonly FinishedEntry[];
  readonly dead: readonly FinishedEntry[];
}

/**
 * The durable queue of events to partners, one ordered stream per partner. One instance at a time
 * holds a partner's lease and delivers its stream head first, so that events go out in order.
 */
export interface EventOutbox {
  append(clientId: string, event: OutboxEvent): Promise<void>;
  /** the partners that have an outbox */
  clientIds(): Promise<string[]>;
  /** takes or renews the partner's delivery lease; false when another owner holds it */
  lease(clientId: string, owner: string, ttlMs: number): Promise<boolean>;
  release(clientId: string, owner: string): Promise<void>;
  /** the partner's oldest undelivered event, claimed for this consumer */
  head(clientId: string, consumer: string): Promise<OutboxEntry | undefined>;
  scheduleRetry(entry: OutboxEntry, retry: RetryState): Promise<void>;
  markDelivered(entry: OutboxEntry, at: number): Promise<void>;
  deadLetter(entry: OutboxEntry, error: string, at: number): Promise<void>;
  list(clientId: string): Promise<OutboxListing>;
  /** a dead-lettered event back in the queue, or a waiting one due now; false when no such event */
  retry(clientId: string, jti: string, now: number): Promise<'requeued' | 'rescheduled' | false>;
}

/** How many delivered events each partner's history keeps. */
export const DELIVERED_HISTORY = 1000;
