import type { RiskRule } from '../risk-signals.js';

/** A requested scope is marked `highRisk` in the scope catalogue (e.g. transfers). */
export const highRiskScope: RiskRule = ({ requestedScopes, highRiskScopes }) =>
  requestedScopes.some((scope) => highRiskScopes.has(scope)) ? 'risk.high_risk_scope' : undefined;
