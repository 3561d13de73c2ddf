import { describe, expect, it } from '@jest/globals';
import { waitInWords } from '../../../src/shared/wait-in-words.js';

describe('waitInWords (429 and 503 pages say the Retry-After wait in words)', () => {
  it.each([
    [300, '約5分後に', 'in about 5 minutes'],
    [61, '約2分後に', 'in about 2 minutes'],
    [60, '約1分後に', 'in about 1 minute'],
    [30, '約30秒後に', 'in about 30 seconds'],
    [1, '約1秒後に', 'in about 1 second'],
    [7200, '約2時間後に', 'in about 2 hours'],
  ])('%i seconds: %s / %s (rounded up)', (seconds, ja, en) => {
    expect(waitInWords(seconds, 'ja')).toBe(ja);
    expect(waitInWords(seconds, 'en')).toBe(en);
  });
});
