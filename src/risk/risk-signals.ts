/** What the risk rules look at; gathered by the caller, so the engine stays pure. */
export interface RiskSignals {
  /** this browser carries a device cookie known for this customer */
  readonly deviceKnown: boolean;
  /** failed attempts (any factor) since the customer's last full success */
  readonly failuresSinceSuccess: number;
  /** a wrong secret answer, or an operator's unlock, since the customer's last full success (Lockout) */
  readonly answerDue: boolean;
  readonly requestedScopes: readonly string[];
  readonly highRiskScopes: ReadonlySet<string>;
}

/** A rule either names why additional authentication is needed, or says nothing. */
export type RiskRule = (signals: RiskSignals) => RiskReason | undefined;

export type RiskReason = 'risk.new_device' | 'risk.recent_failures' | 'risk.high_risk_scope' | 'policy.always';
