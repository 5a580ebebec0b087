/** A start-up failure the operator can fix, said in one line (no stack). */
export class StartupError extends Error {
  override name = 'StartupError';
}
