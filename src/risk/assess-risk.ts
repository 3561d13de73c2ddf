import type { AdditionalAuthPolicy } from '../settings/types.js';
import type { RiskReason, RiskRule, RiskSignals } from './risk-signals.js';
import { highRiskScope } from './rules/high-risk-scope.js';
import { newDevice } from './rules/new-device.js';
import { recentFailures } from './rules/recent-failures.js';

const RULES: readonly RiskRule[] = [newDevice, recentFailures, highRiskScope];

export interface RiskAssessment {
  readonly additionalAuthRequired: boolean;
  readonly reasons: readonly RiskReason[];
}

/** SPEC §4 risk policy: `never`, `always`, or `risk` (any rule that fires asks for it). */
export function assessRisk(policy: AdditionalAuthPolicy, signals: RiskSignals): RiskAssessment {
  if (policy === 'never') return { additionalAuthRequired: false, reasons: [] };
  if (policy === 'always') return { additionalAuthRequired: true, reasons: ['policy.always'] };
  const reasons = RULES.map((rule) => rule(signals)).filter((r): r is RiskReason => r !== undefined);
  return { additionalAuthRequired: reasons.length > 0, reasons };
}
