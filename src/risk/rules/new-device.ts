import type { RiskRule } from '../risk-signals.js';

/** First use of this browser for this customer. */
export const newDevice: RiskRule = ({ deviceKnown }) => (deviceKnown ? undefined : 'risk.new_device');
