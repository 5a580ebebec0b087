import { EngineError } from '../engine.js';
import type { HistoryEntry, SavedFile } from './client.js';

const VIDEO_FILE = /\.(mp4|webm|mov|mkv|gif|webp)$/i;

/**
 * The video a finished prompt produced, or the failure it ended with. SaveVideo lists its file
 * under `images` (with `animated`), VideoHelperSuite under `gifs`; the file extension tells a
 * video from a still, and an MP4 is preferred when a graph saves several formats.
 */
export function videoOf(entry: HistoryEntry, server: string, interruptedByUs: boolean): SavedFile {
  const status = entry.status;
  if (status?.status_str === 'error') throw failure(status.messages ?? [], server, interruptedByUs);
  const files: SavedFile[] = [];
  for (const output of Object.values(entry.outputs ?? {})) files.push(...(output.gifs ?? []), ...(output.images ?? []));
  const videos = files.filter((f) => VIDEO_FILE.test(f.filename));
  const file = videos.find((f) => /\.mp4$/i.test(f.filename)) ?? videos[0];
  if (!file)
    throw new EngineError(
      'engine_error',
      `ComfyUI at ${server} finished the workflow but it saved no video (outputs: ${files.map((f) => f.filename).join(', ') || 'none'})`,
    );
  return file;
}

function failure(messages: Array<[string, Record<string, unknown>]>, server: string, interruptedByUs: boolean): EngineError {
  const error = messages.find(([type]) => type === 'execution_error')?.[1];
  if (error) return executionError(error, server);
  const interrupted = messages.find(([type]) => type === 'execution_interrupted')?.[1];
  if (interrupted && !interruptedByUs) {
    return new EngineError(
      'engine_error',
      `ComfyUI at ${server}: the prompt was interrupted by someone else at node ${String(interrupted.node_id)} (${String(interrupted.node_type)})`,
    );
  }
  return new EngineError('engine_error', `ComfyUI at ${server}: the prompt ended with an error`);
}

/** `execution_error`'s exception, said plainly; out-of-memory gets a sentence an operator can act on. */
export function executionError(data: Record<string, unknown>, server: string): EngineError {
  const message = String(data.exception_message ?? '').trim();
  const type = String(data.exception_type ?? '');
  const where = `node ${String(data.node_id)} (${String(data.node_type)})`;
  const oom = /OutOfMemory/i.test(type) || /out of memory/i.test(message);
  const head = oom ? `ComfyUI at ${server} ran out of GPU memory in ${where}` : `ComfyUI at ${server} failed in ${where}`;
  return new EngineError('engine_error', `${head}: ${type ? `${type}: ` : ''}${message.split('\n')[0]}`);
}
