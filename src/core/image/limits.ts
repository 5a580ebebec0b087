/** Size limits applied to every input image, however it arrives (docs/api.md §2). */
export interface ImageLimits {
  /** Largest accepted encoded file, in bytes (after base64 decoding). */
  maxEncodedBytes: number;
  /** Largest accepted width × height, checked from the header before any pixel is decoded. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({
  maxEncodedBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
});
