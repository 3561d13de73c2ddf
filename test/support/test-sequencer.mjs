// Plain JavaScript: jest loads the sequencer before any TypeScript transform.
import Sequencer from '@jest/test-sequencer';

const isBrowserTest = (test) => /[\\/]test[\\/]e2e[\\/]/.test(test.path);

/**
 * Jest's order (slowest first, from its timing cache), except that the browser tests are spread
 * out: with two workers, neighbours in this order run side by side, and two Chromiums at once on
 * two cores slow every page past its timeout.
 */
export default class SpreadBrowserTests extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const sorted = Array.isArray(ordered) ? ordered : [];
    const browser = sorted.filter(isBrowserTest);
    const rest = sorted.filter((test) => !isBrowserTest(test));
    if (browser.length < 2) return sorted;
    const spaced = [...rest];
    const step = Math.max(2, Math.floor(rest.length / browser.length));
    // from the last to the first, so that earlier insertion points do not move
    for (let i = browser.length - 1; i >= 0; i--) spaced.splice(Math.min(i * step, spaced.length), 0, browser[i]);
    return spaced;
  }
}
