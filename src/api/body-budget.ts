import { ReelayError } from '../errors.js';

/**
 * How many bytes of request bodies this process holds at once. Submits carry images of up to
 * 20 MB (30 MB bodies), and each one is buffered, parsed and decoded; twenty of them at once
 * took a process past 600 MB. Bodies take their size from this budget while they are read and
 * give it back when their call ends; a body that does not fit is refused at once with a
 * `server_busy` error and a Retry-After, before it is buffered.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Bytes currently held. */
  get inUse(): number {
    return this.used;
  }

  /** A hold on part of the budget that grows as a body is read and is released once. */
  hold(): BodyHold {
    let held = 0;
    return {
      take: (bytes: number) => {
        if (this.used + bytes > this.limit) {
          throw new ReelayError('server_busy', `The server is reading as many request bodies as it holds at once (${this.limit} bytes); retry in a moment`, {
            data: { retryAfterSeconds: 1 },
          });
        }
        this.used += bytes;
        held += bytes;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

export interface BodyHold {
  /** Takes `bytes` more from the budget, or throws `server_busy` without taking anything. */
  take(bytes: number): void;
  /** Gives back everything taken; safe to call more than once. */
  release(): void;
}
