/** The customer is warned when one or two attempts are left before the account locks. */
export function attemptsLeft(failures: number, maxFailures: number): number | undefined {
  const left = maxFailures - failures;
  return left === 1 || left === 2 ? left : undefined;
}
