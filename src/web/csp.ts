import type { Config } from '../config.js';

/**
 * The pages' Content-Security-Policy: scripts and styles only from this server's own files (no
 * inline script, no eval), API calls only to this origin, images only from the person's own
 * files (blob:/data:), and videos from this server, or from where results are served when the
 * operator moved them (a public URL on another host, presigned S3 URLs).
 */
export function pageCsp(config: Pick<Config, 'publicUrl' | 'outputUrls'>): string {
  const extra = new Set<string>();
  if (config.publicUrl) extra.add(new URL(config.publicUrl).origin);
  const connect = ["'self'", ...extra].join(' ');
  const media = ["'self'", 'blob:', ...extra, ...(config.outputUrls === 'presigned' ? ['https:'] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `media-src ${media}`,
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
