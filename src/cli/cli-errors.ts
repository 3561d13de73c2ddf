/** Exit codes of SPEC §6. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** An expected way for a command to end (bad usage, a refusal); anything else is a bug. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

export const usageError = (message: string) => new ExitError(message, EXIT.usage);
export const refused = (message: string) => new ExitError(message, EXIT.refused);
