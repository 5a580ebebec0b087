/**
 * What Google checks in a Veo 2 `predictLongRunning` body, so a regression in our mapping is a
 * 400 from the fake instead of a silent pass. Ranges: Vertex Veo reference (durations 5–8,
 * 16:9 | 9:16, sampleCount 1–4, seed uint32, JPEG/PNG input). Returns the error message or null.
 */
export type VeoApi = 'gemini' | 'vertex';

export function validatePredictBody(body: unknown, api: VeoApi): string | null {
  if (!isObject(body)) return 'Invalid JSON payload received.';
  const { instances, parameters } = body;
  if (!Array.isArray(instances) || instances.length !== 1) return 'instances must hold exactly one instance';
  const inst: unknown = instances[0];
  if (!isObject(inst)) return 'instances[0] must be an object';
  if (inst.prompt !== undefined && typeof inst.prompt !== 'string') return 'instances[0].prompt must be a string';
  const imageProblem = checkImage(inst.image);
  if (imageProblem) return imageProblem;
  if (!isObject(parameters)) return 'parameters must be an object';
  const p = parameters;
  if (p.sampleCount !== undefined && !(Number.isInteger(p.sampleCount) && Number(p.sampleCount) >= 1 && Number(p.sampleCount) <= 4)) {
    return 'sampleCount must be between 1 and 4';
  }
  if (p.durationSeconds !== undefined && !(Number.isInteger(p.durationSeconds) && Number(p.durationSeconds) >= 5 && Number(p.durationSeconds) <= 8)) {
    return 'durationSeconds must be between 5 and 8 for veo-2.0-generate-001';
  }
  if (p.aspectRatio !== undefined && p.aspectRatio !== '16:9' && p.aspectRatio !== '9:16') return `Unsupported aspect ratio: ${String(p.aspectRatio)}`;
  if (p.personGeneration !== undefined && p.personGeneration !== 'allow_adult' && p.personGeneration !== 'dont_allow') {
    return `personGeneration ${String(p.personGeneration)} is not allowed for image-to-video`;
  }
  if (p.negativePrompt !== undefined && typeof p.negativePrompt !== 'string') return 'negativePrompt must be a string';
  if (p.enhancePrompt !== undefined && typeof p.enhancePrompt !== 'boolean') return 'enhancePrompt must be a boolean';
  if (p.seed !== undefined) {
    // Modelled on the Gemini API's wording for unsupported parameters (e.g. n8n issue #17707's
    // "durationSeconds isn't supported by this model"); the exact text for seed is unverified.
    if (api === 'gemini') return "`seed` isn't supported by this model. Please remove it or refer to the Gemini API documentation for supported usage.";
    if (!(Number.isInteger(p.seed) && Number(p.seed) >= 0 && Number(p.seed) <= 4_294_967_295)) return 'seed must be an integer in [0, 4294967295]';
  }
  if (p.storageUri !== undefined && (api === 'gemini' || typeof p.storageUri !== 'string' || !p.storageUri.startsWith('gs://'))) {
    return 'storageUri must be a gs:// URI (Vertex only)';
  }
  return null;
}

function checkImage(image: unknown): string | null {
  if (!isObject(image)) return 'instances[0].image is required for image-to-video';
  const { bytesBase64Encoded: b64, mimeType } = image;
  if (typeof b64 !== 'string' || b64.length === 0) return 'instances[0].image.bytesBase64Encoded is required';
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) return 'image bytes are not valid base64';
  if (mimeType !== 'image/png' && mimeType !== 'image/jpeg') return `Unsupported image mimeType: ${String(mimeType)}`;
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if ((mimeType === 'image/png' && !png) || (mimeType === 'image/jpeg' && !jpeg)) return `image bytes do not match mimeType ${mimeType}`;
  return null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
