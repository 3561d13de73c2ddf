import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { Locale } from '../src/shared/locale.js';
import type { KeyValueStore } from '../src/storage/key-value-store.js';
import { redisKeys } from '../src/storage/redis-keys.js';

/** Which steps of one login interaction have passed; kept server-side, keyed by the interaction uid. */
export interface LoginProgress {
  readonly csrf: string;
  /** the language chosen when the interaction (or session) began, kept for every page of it */
  readonly locale?: Locale;
  readonly sub?: string;
  readonly loginId?: string;
  readonly passwordAt?: number;
  /** 1-based positions of the 利用者番号 asked: the customer's own (DigitPositions), copied at login */
  readonly positions?: readonly number[];
  readonly digitsAt?: number;
  readonly additionalRequired?: boolean;
  readonly riskReasons?: readonly string[];
  readonly additionalAt?: number;
  /** the interaction has its result (oidc-provider holds it until the browser resumes); nothing is stored for it any more */
  readonly finished?: true;
}

/** Longer than one 許可する can take (a handful of store calls, each bounded by the command timeout). */
const CONSENT_CLAIM_SECONDS = 30;

/**
 * What a consent submission finds: 'claimed' (it is the one to grant), 'taken' (an earlier
 * submission is at it), 'finished' (an earlier one is done: the result is on the interaction).
 */
export type ConsentClaim = 'claimed' | 'taken' | 'finished';

export type Step = 'login' | 'digits' | 'additional' | 'done';

/** The step this interaction is at: each needs every earlier one, so none can be skipped. */
export function currentStep(progress: LoginProgress): Step {
  if (progress.finished) return 'done';
  if (!progress.passwordAt || !progress.sub) return 'login';
  if (!progress.digitsAt) return 'digits';
  if (progress.additionalRequired && !progress.additionalAt) return 'additional';
  return 'done';
}

export function csrfMatches(progress: LoginProgress, presented: string | undefined): boolean {
  if (!presented) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(progress.csrf), digest(presented));
}

export class ProgressStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlSeconds: number,
  ) {}

  /** see KeyValueStore.keepsSendingOrder */
  get keepsSendingOrder(): boolean {
    return this.kv.keepsSendingOrder;
  }

  async load(uid: string): Promise<LoginProgress | undefined> {
    const json = await this.kv.get(redisKeys.interactionProgress(uid));
    return json ? (JSON.parse(json) as LoginProgress) : undefined;
  }

  /** A first request's progress (`load` found none): its CSRF token, in the language it chose. */
  async start(uid: string, locale: Locale): Promise<LoginProgress> {
    const fresh: LoginProgress = { csrf: randomBytes(24).toString('base64url'), locale };
    // two first requests racing: the first one's record (and CSRF token) wins
    if (await this.kv.setIfAbsent(redisKeys.interactionProgress(uid), JSON.stringify(fresh), this.ttlSeconds)) return fresh;
    return (await this.load(uid)) ?? fresh;
  }

  async save(uid: string, progress: LoginProgress): Promise<void> {
    await this.kv.set(redisKeys.interactionProgress(uid), JSON.stringify(progress), this.ttlSeconds);
  }

  /**
   * The first caller gets 'claimed'; a double-submitted consent gets 'taken' while the first is at
   * work and 'finished' once it is done. Claimed only while the progress is there: a finished
   * consent drops its progress (after saving the result) and then its claim, so a submission that
   * comes after finds no progress and never grants twice. The claim is a lease: if its holder fails
   * and cannot release it (the store away), it lapses after CONSENT_CLAIM_SECONDS.
   */
  async claimConsent(uid: string, holder: string): Promise<ConsentClaim> {
    const outcome = await this.kv.setIfAbsentWhile(
      redisKeys.interactionConsent(uid), holder, Math.min(CONSENT_CLAIM_SECONDS, this.ttlSeconds), redisKeys.interactionProgress(uid),
    );
    return outcome === 'set' ? 'claimed' : outcome === 'taken' ? 'taken' : 'finished';
  }

  /**
   * The consent failed: 許可する may be pressed again. Released only by the submission holding
   * the claim (`holder`), so that one whose claim command failed cannot free another's; one
   * command, so that behind a stalled store it is carried out after the claim it releases.
   */
  async releaseConsent(uid: string, holder: string): Promise<void> {
    await this.kv.deleteIfHolds(redisKeys.interactionConsent(uid), holder);
  }

  /**
   * The interaction has its result (saved first: see loadInteraction): its progress goes. A request
   * that comes after finds the result on the interaction and is sent on to it.
   */
  async finish(uid: string): Promise<void> {
    await this.kv.delete(redisKeys.interactionProgress(uid));
  }

  /**
   * The consent is granted (its result saved on the interaction): its progress goes, then its
   * claim; in that order, so that no later submission can claim again. Nothing is left behind.
   */
  async finishConsent(uid: string): Promise<void> {
    await this.finish(uid);
    await this.kv.delete(redisKeys.interactionConsent(uid));
  }
}
