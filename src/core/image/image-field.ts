import { checkImageBytes, type AcceptedImage } from './decode-check.js';
import type { FetchPolicy } from '../../net/fetch-policy.js';
import { fetchImageBytes } from './fetch-image.js';
import { ImageInputError } from './image-error.js';
import { ACCEPTED_FORMS, decodeBase64, decodeDataUri } from './inline-image.js';
import type { ImageLimits } from './limits.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Resolves the `image` field of a submission (an http(s) URL, a data:image/...;base64 URI
 * or bare base64) to checked image bytes. Every problem, from an unreachable URL to a
 * truncated JPEG, is an ImageInputError whose message says what is wrong.
 *
 * @example
 * const image = await loadImageField(body.image, { limits: DEFAULT_IMAGE_LIMITS, fetch: DEFAULT_FETCH_POLICY });
 */
export async function loadImageField(value: string, opts: { limits: ImageLimits; fetch: FetchPolicy }): Promise<AcceptedImage> {
  if (typeof value !== 'string') throw new ImageInputError(`image must be a string; ${ACCEPTED_FORMS}`);
  const text = value.trim();
  if (text === '') throw new ImageInputError(`image is empty; ${ACCEPTED_FORMS}`);

  // Base64 never contains ":", so anything that starts with a scheme is meant as a URI.
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    return checkImageBytes(await fetchImageBytes(text, opts.fetch, opts.limits), opts.limits);
  }
  if (scheme === 'data') return checkImageBytes(decodeDataUri(text, opts.limits), opts.limits);
  if (scheme !== undefined) {
    throw new ImageInputError(`image URL scheme "${scheme}:" is not allowed; ${ACCEPTED_FORMS}`);
  }

  const bytes = decodeBase64(text, opts.limits);
  if (bytes === null || bytes.length === 0) {
    throw new ImageInputError(`image is neither a URL, a data URI nor valid base64; ${ACCEPTED_FORMS}`);
  }
  return checkImageBytes(bytes, opts.limits);
}
