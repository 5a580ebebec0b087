import type { FetchPolicy } from '../../net/fetch-policy.js';
import { formatSeconds } from '../../net/fetch-policy.js';
import { GuardedFetchError } from '../../net/guard-error.js';
import { guardedFetch, type GuardedResponse } from '../../net/guarded-fetch.js';
import { ImageInputError } from './image-error.js';
import { formatMegabytes } from '../../net/format.js';
import type { ImageLimits } from './limits.js';
import { sniffImage } from './sniff.js';

const ACCEPT = 'image/jpeg,image/png,image/webp;q=0.9,*/*;q=0.1';

function fetchFailure(err: GuardedFetchError, policy: FetchPolicy, limits: ImageLimits): ImageInputError {
  switch (err.reason) {
    case 'too_large':
      return new ImageInputError(
        `image URL returned more than ${formatMegabytes(limits.maxEncodedBytes)}; the limit is ${formatMegabytes(limits.maxEncodedBytes)}`,
        { cause: err },
      );
    case 'timeout':
      return new ImageInputError(`fetching the image URL timed out after ${formatSeconds(policy.timeoutMs)}`, { cause: err });
    default:
      return new ImageInputError(`could not fetch the image URL: ${err.message}`, { cause: err });
  }
}

/** Downloads an image URL through the guard; every failure becomes an ImageInputError naming it. */
export async function fetchImageBytes(url: string, policy: FetchPolicy, limits: ImageLimits): Promise<Buffer> {
  let response: GuardedResponse;
  try {
    response = await guardedFetch(url, { headers: { accept: ACCEPT } }, policy, limits.maxEncodedBytes);
  } catch (err) {
    if (err instanceof GuardedFetchError) throw fetchFailure(err, policy, limits);
    throw err;
  }
  if (response.status < 200 || response.status > 299) {
    throw new ImageInputError(`image URL returned HTTP ${response.status}; it must answer 200 with the image itself`);
  }
  if (response.body.length === 0) throw new ImageInputError('image URL returned an empty body');
  const sniffed = sniffImage(response.body);
  if (sniffed.mime === null) {
    const declared = response.headers['content-type'];
    const label = typeof declared === 'string' ? ` (Content-Type: ${declared.slice(0, 80)})` : '';
    throw new ImageInputError(`image URL did not return a JPEG, PNG or WebP image: ${sniffed.description}${label}`);
  }
  return response.body;
}
