import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../usage-error.js';

const BY_EXTENSION: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

/** Sniffs the three formats the API accepts, so a misnamed file still gets the right type. */
function sniff(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * The `image` parameter for IMAGE_OR_URL: URLs and data URIs go as they are (the server fetches
 * URLs); a local file is read and sent inline as a data URI, which every server accepts.
 */
export async function imageParam(arg: string, resolvePath: (path: string) => string = (p) => p): Promise<string> {
  if (/^(https?:\/\/|data:)/i.test(arg)) return arg;
  let bytes: Buffer;
  try {
    bytes = await readFile(resolvePath(arg));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read image "${arg}"${code === 'ENOENT' ? ': no such file' : `: ${String(code ?? err)}`}`);
  }
  const type = sniff(bytes) ?? BY_EXTENSION[extname(arg).toLowerCase()] ?? 'application/octet-stream';
  return `data:${type};base64,${bytes.toString('base64')}`;
}
