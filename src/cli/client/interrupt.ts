import { createInterface } from 'node:readline/promises';
import type { Job } from '@reelay/sdk';

/** Exit status of a process stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/**
 * Runs `work` with an AbortSignal that fires on Ctrl-C. Listening for SIGINT replaces Node's
 * default "exit at once", so the caller can decide what happens to the request.
 * Resolves `interrupted: true` instead of throwing when Ctrl-C was the reason it stopped.
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: false } | { interrupted: true }> {
  const controller = new AbortController();
  const reason = new Error('interrupted');
  const onSigint = (): void => controller.abort(reason);
  process.on('SIGINT', onSigint);
  try {
    return { value: await work(controller.signal), interrupted: false };
  } catch (err) {
    if (controller.signal.reason === reason) return { interrupted: true };
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * After Ctrl-C: on a terminal, asks whether to cancel the request (default: leave it running);
 * without one there is nobody to ask, so it is left running. Prints the id either way.
 */
export async function afterInterrupt(job: Job): Promise<void> {
  const id = job.requestId;
  let cancel = false;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    // A second Ctrl-C at the question means "just let me go": leave the request running.
    const answered = new Promise<string>((resolve) => rl.once('SIGINT', () => resolve('')));
    const answer = await Promise.race([rl.question(`\nCancel request ${id}? [y/N] `), answered]);
    rl.close();
    cancel = /^y(es)?$/i.test(answer.trim());
  }
  if (cancel) {
    await job.cancel();
    process.stderr.write(`\nCanceled request ${id}.\n`);
  } else {
    process.stderr.write(`\nLeft request ${id} running. Get it later with: reelay wait ${id}\n`);
  }
  process.stdout.write(`${id}\n`);
  process.exitCode = INTERRUPTED_EXIT;
}
