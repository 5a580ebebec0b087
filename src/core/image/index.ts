/**
 * Input images: turning the `image` field (URL, data URI, base64) or an uploaded file into
 * checked JPEG/PNG/WebP bytes at submit time, and the SSRF guard used for every outgoing
 * fetch of a client-supplied URL (image URLs now, webhook deliveries later).
 */
export { loadImageField } from './image-field.js';
export { checkImageBytes, type AcceptedImage } from './decode-check.js';
export { ImageInputError } from './image-error.js';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.js';
export { DEFAULT_FETCH_POLICY, MAX_URL_LENGTH, type FetchPolicy } from './fetch-policy.js';
export type { ImageMime } from './sniff.js';

export { isForbiddenAddress, forbiddenAddressReason } from './address-policy.js';
export { allowListProblems, isAllowListedHost } from './allow-list.js';
export { createGuardedDispatcher, guardedLookup } from './guarded-dispatcher.js';
export { guardedFetch, type GuardedRequestInit, type GuardedResponse } from './guarded-fetch.js';
export { GuardedFetchError, type GuardFailure } from './guard-error.js';
