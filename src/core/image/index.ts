/**
 * Input images: turning the `image` field (URL, data URI, base64) or an uploaded file into
 * checked JPEG/PNG/WebP bytes at submit time. URLs are fetched through the guard in src/net/.
 */
export { loadImageField } from './image-field.js';
export { checkImageBytes, type AcceptedImage } from './decode-check.js';
export { ImageInputError } from './image-error.js';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.js';
export type { ImageMime } from './sniff.js';
