import { describe, expect, it } from '@jest/globals';
import { assessRisk } from '../../../src/risk/assess-risk.js';
import type { RiskSignals } from '../../../src/risk/risk-signals.js';
import { highRiskScope } from '../../../src/risk/rules/high-risk-scope.js';
import { newDevice } from '../../../src/risk/rules/new-device.js';
import { recentFailures } from '../../../src/risk/rules/recent-failures.js';

const HIGH_RISK = new Set(['transfers']);

/** a known browser, no failures, read-only scopes: nothing should fire */
const CALM: RiskSignals = {
  deviceKnown: true,
  failuresSinceSuccess: 0,
  answerDue: false,
  requestedScopes: ['openid', 'accounts', 'balances'],
  highRiskScopes: HIGH_RISK,
};

const STORMY: RiskSignals = {
  deviceKnown: false,
  failuresSinceSuccess: 3,
  answerDue: true,
  requestedScopes: ['openid', 'transfers'],
  highRiskScopes: HIGH_RISK,
};

describe('assessRisk', () => {
  it('never asks under "never", whatever the signals', () => {
    expect(assessRisk('never', STORMY)).toEqual({ additionalAuthRequired: false, reasons: [] });
    expect(assessRisk('never', CALM)).toEqual({ additionalAuthRequired: false, reasons: [] });
  });

  it('always asks under "always", with reason policy.always', () => {
    expect(assessRisk('always', CALM)).toEqual({ additionalAuthRequired: true, reasons: ['policy.always'] });
    expect(assessRisk('always', STORMY)).toEqual({ additionalAuthRequired: true, reasons: ['policy.always'] });
  });

  it('does not ask under "risk" when no rule fires', () => {
    expect(assessRisk('risk', CALM)).toEqual({ additionalAuthRequired: false, reasons: [] });
    expect(assessRisk('risk', { ...CALM, requestedScopes: [] })).toEqual({ additionalAuthRequired: false, reasons: [] });
  });

  it('asks for a browser without a known device cookie: risk.new_device', () => {
    expect(assessRisk('risk', { ...CALM, deviceKnown: false })).toEqual({ additionalAuthRequired: true, reasons: ['risk.new_device'] });
  });

  it('asks after a failed attempt since the last success: risk.recent_failures', () => {
    expect(assessRisk('risk', { ...CALM, failuresSinceSuccess: 1 })).toEqual({ additionalAuthRequired: true, reasons: ['risk.recent_failures'] });
    expect(assessRisk('risk', { ...CALM, failuresSinceSuccess: 4 }).reasons).toEqual(['risk.recent_failures']);
  });

  it('asks when a requested scope is high-risk: risk.high_risk_scope', () => {
    expect(assessRisk('risk', { ...CALM, requestedScopes: ['openid', 'accounts', 'transfers'] })).toEqual({
      additionalAuthRequired: true,
      reasons: ['risk.high_risk_scope'],
    });
    expect(assessRisk('risk', { ...CALM, requestedScopes: ['transfers'], highRiskScopes: new Set() })).toEqual({
      additionalAuthRequired: false,
      reasons: [],
    });
  });

  it('gives every reason that applies', () => {
    expect(assessRisk('risk', STORMY)).toEqual({
      additionalAuthRequired: true,
      reasons: ['risk.new_device', 'risk.recent_failures', 'risk.high_risk_scope'],
    });
  });
});

describe('risk rules', () => {
  it('newDevice fires only for an unknown device', () => {
    expect(newDevice({ ...CALM, deviceKnown: false })).toBe('risk.new_device');
    expect(newDevice(CALM)).toBeUndefined();
  });

  it('recentFailures fires for a positive count, or for an answer still due with the count cleared (an unlock)', () => {
    expect(recentFailures({ ...CALM, failuresSinceSuccess: 1 })).toBe('risk.recent_failures');
    expect(recentFailures({ ...CALM, answerDue: true })).toBe('risk.recent_failures');
    expect(recentFailures(CALM)).toBeUndefined();
  });

  it('highRiskScope fires only when a requested scope is in the high-risk set', () => {
    expect(highRiskScope({ ...CALM, requestedScopes: ['transfers'] })).toBe('risk.high_risk_scope');
    expect(highRiskScope({ ...CALM, requestedScopes: ['transfer', 'Transfers', 'accounts'] })).toBeUndefined();
  });
});
