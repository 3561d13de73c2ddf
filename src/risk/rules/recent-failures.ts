import type { RiskRule } from '../risk-signals.js';

/** The account had a failed attempt since its last success (an unlock does not end that: the answer stays due). */
export const recentFailures: RiskRule = ({ failuresSinceSuccess, answerDue }) => (failuresSinceSuccess > 0 || answerDue ? 'risk.recent_failures' : undefined);
