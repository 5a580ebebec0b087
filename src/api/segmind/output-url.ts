import type { BlobStore } from '../../blobs/blob-store.js';
import type { Config } from '../../config.js';
import type { OutputUrlBuilder } from '../../core/context.js';
import { outputPath } from './file-urls.js';

/**
 * The one builder of output URLs, used by the API's answers and by the worker for webhook
 * bodies alike: Reelay's signed file route under `base`, or (config `outputUrls: presigned`) a
 * presigned S3 URL valid until the request expires.
 */
export function createOutputUrlBuilder(opts: { mode: Config['outputUrls']; blobs: BlobStore; fileSigningSecret: string }): OutputUrlBuilder {
  const { mode, blobs, fileSigningSecret } = opts;
  return async (r, base) => {
    if (mode === 'presigned' && blobs.presignedGetUrl && r.outputKey) {
      const seconds = Math.max(1, Math.ceil(((r.expiresAt ?? Date.now()) - Date.now()) / 1000));
      return blobs.presignedGetUrl(r.outputKey, seconds);
    }
    return `${base}${outputPath(fileSigningSecret, r.id)}`;
  };
}
