/** Size limits applied to every input image, however it arrives (SPEC section 2). */
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

/** "20 MB", "25.3 MB", "0.1 MB": limits are configured in whole MiB, so that is the unit users see. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const rounded = mb >= 10 ? Math.round(mb * 10) / 10 : Math.round(mb * 100) / 100;
  return `${rounded} MB`;
}
