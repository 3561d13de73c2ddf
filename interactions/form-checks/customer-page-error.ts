/**
 * A refusal the customer sees as our error page: its status and public code (never internals);
 * the error handler renders it in the interaction's language.
 */
export class CustomerPageError extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
