/**
 * A change that reaches another instance over pub/sub: `check` polled for a short while until it
 * gives `expected`, never slept on. The last value is returned for the test to assert.
 */
export async function eventually(check: () => Promise<number>, expected: number): Promise<number> {
  const deadline = Date.now() + 2000;
  let status = await check();
  while (status !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    status = await check();
  }
  return status;
}
