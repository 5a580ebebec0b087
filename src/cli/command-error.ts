/** A command that could not do its job for a reason the user can fix: one line, a hint, exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
