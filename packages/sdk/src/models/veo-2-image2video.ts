/**
 * The `veo-2-image2video` model: its parameter rules and result shape (docs/api.md §2).
 * This file is the single source of truth: the SDK's types come from it, and the server's
 * validation schema (src/core/params.ts) imports these constants, so a rule changed here changes
 * both sides. It must stay free of imports and runtime dependencies.
 */

export const VEO_2_IMAGE2VIDEO = 'veo-2-image2video';

export const DURATIONS = [5, 6, 7, 8] as const;
export const ASPECT_RATIOS = ['16:9', '9:16'] as const;
export const MAX_PROMPT_CHARS = 2000;
export const MAX_SEED = 4_294_967_295;
export const DEFAULT_DURATION: Duration = 5;
export const DEFAULT_ASPECT_RATIO: AspectRatio = '16:9';

export type Duration = (typeof DURATIONS)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Frame size of the produced video for each aspect ratio. */
export const VIDEO_SIZES: Readonly<Record<AspectRatio, { width: number; height: number }>> = {
  '16:9': { width: 1280, height: 720 },
  '9:16': { width: 720, height: 1280 },
};
export const VIDEO_FPS = 24;

export interface Veo2Image2VideoParams {
  /** `http(s)://` URL, `data:image/...;base64,` URI, or bare base64 (JPEG, PNG or WebP). */
  image: string;
  /** At most MAX_PROMPT_CHARS characters; default "". */
  prompt?: string;
  /** Seconds; default 5. */
  duration?: Duration;
  /** Default "16:9". */
  aspect_ratio?: AspectRatio;
  /** 0 to MAX_SEED; null or absent picks a random seed, reported back in the result. */
  seed?: number | null;
}

/** Narrowing helpers for callers holding untyped input (CLI flags, form fields). */
export function isDuration(n: unknown): n is Duration {
  return (DURATIONS as readonly unknown[]).includes(n);
}
export function isAspectRatio(s: unknown): s is AspectRatio {
  return (ASPECT_RATIOS as readonly unknown[]).includes(s);
}
