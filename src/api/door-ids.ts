/**
 * Front doors show a request's UUID without its dashes (32 lowercase hex digits) inside their own
 * id formats: `video_<hex>` for OpenAI, `models/<m>/operations/<hex>` and `files/<hex>` for Gemini.
 * Lowercase alphanumerics matter: the Gemini SDK cuts a file id at the first other character.
 */
export function compactId(requestId: string): string {
  return requestId.replace(/-/g, '');
}

/** The request id inside a door's id, or undefined when it is not 32 hex digits. */
export function expandId(hex: string): string | undefined {
  const m = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(hex);
  return m ? m.slice(1).join('-') : undefined;
}

/** Seconds since the epoch (both doors' timestamps), or null. */
export const unixSeconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));
