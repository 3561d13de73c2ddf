// Reading V8 .cpuprofile files (--cpu-prof): self time by function.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** "name file:line", node_modules and dist/bench prefixes cut, as the profile tools print it. */
export const frameKey = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/(dist|bench)\//, '$1/')}:${lineNumber + 1}`;

/** Self time in µs by function (frameKey), idle time left out. */
export function selfTimeByFunction(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const micros = new Map();
  profile.samples.forEach((id, i) => {
    const key = frameKey(nodes.get(id).callFrame);
    micros.set(key, (micros.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  micros.delete('(idle) :0');
  return micros;
}

/**
 * The newest main-thread .cpuprofile in a folder. Worker threads (renkei's Argon2id workers)
 * inherit --cpu-prof and write their own, named CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile;
 * the main thread's id is 0.
 */
export const newestProfile = (dir) =>
  readdirSync(dir).filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f)).map((f) => join(dir, f)).sort().at(-1);
