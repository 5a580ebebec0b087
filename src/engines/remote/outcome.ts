import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../engine.js';

/** Writes the MP4 into the work dir after a cheap sanity check (an ISO-BMFF `ftyp` box first). */
export async function writeVideo(workDir: string, bytes: Uint8Array): Promise<string> {
  assertMp4(bytes);
  const path = join(workDir, 'output.mp4');
  await writeFile(path, bytes);
  return path;
}

/** Rejects bytes that are not an MP4 (an upstream that answered with HTML or JSON), as engine_error. */
export function assertMp4(bytes: Uint8Array): void {
  const tag = Buffer.from(bytes.subarray(4, 8)).toString('latin1');
  if (bytes.length < 16 || tag !== 'ftyp') {
    throw new EngineError('engine_error', `upstream returned ${bytes.length} bytes that are not an MP4`);
  }
}
