import { join } from 'node:path';
import type { ComfyClient, HistoryEntry, SavedFile } from './client.js';
import { videoOf } from './outcome.js';

type Output = NonNullable<HistoryEntry['outputs']>[string];

/**
 * Copies a prompt's video out of ComfyUI into the attempt's work dir. The socket's `executed`
 * message names a save node's file once it is written, before the prompt has ended; fetching it
 * then overlaps the copy with the end of the run and the `/history` read. History stays the
 * source of truth: the early copy is used only if the finished entry names the same file,
 * otherwise the entry's file is fetched.
 */
export class VideoCopy {
  private early: { file: SavedFile; done: Promise<boolean> } | undefined;

  constructor(
    private readonly client: ComfyClient,
    private readonly workDir: string,
    private readonly signal: AbortSignal,
  ) {}

  /** A node's output from an `executed` message; the first video named is fetched at once. */
  offer(output: unknown): void {
    if (this.early || !output || typeof output !== 'object') return;
    let file: SavedFile;
    try {
      file = videoOf({ outputs: { node: output as Output } }, this.client.base, false);
    } catch {
      return; // not a video (a preview image, an unknown shape): wait for history
    }
    this.early = {
      file,
      done: this.client.download(file, this.pathOf(file), this.signal).then(
        () => true,
        () => false,
      ),
    };
  }

  /** The local path of `file`, the finished entry's video. */
  async take(file: SavedFile): Promise<string> {
    const path = this.pathOf(file);
    const early = this.early;
    if (early) {
      const copied = await early.done;
      if (copied && early.file.filename === file.filename && early.file.subfolder === file.subfolder && early.file.type === file.type) return path;
    }
    await this.client.download(file, path, this.signal);
    return path;
  }

  /** Waits for an early copy still under way (a run that failed or was stopped), before its work dir goes. */
  async settle(): Promise<void> {
    await this.early?.done;
  }

  private pathOf(file: SavedFile): string {
    return join(this.workDir, `native-${`${file.subfolder}_${file.filename}`.replace(/[^\w.-]/g, '_')}`);
  }
}
