/** A mistake in the command line: one line, a pointer to the command's help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` explains the fix; the general help when absent. */
    readonly command?: string,
  ) {
    super(message);
  }
}
