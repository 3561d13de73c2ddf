import type { RiskRule } from '../risk-signals.js';

/** The account had a failed attempt since its last success. */
export const recentFailures: RiskRule = ({ failuresSinceSuccess }) => (failuresSinceSuccess > 0 ? 'risk.recent_failures' : undefined);
