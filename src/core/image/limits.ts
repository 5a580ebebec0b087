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

/** "20 MB", "25.3 MB", "100 KB": limits are configured in MiB, but tests and small limits need KB. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Math.round(mb * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
