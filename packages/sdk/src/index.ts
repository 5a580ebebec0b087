export { Reelay, DEFAULT_BASE_URL, type ReelayOptions, type SubmitOptions, type RunOptions } from './client.js';
export { Job, type WaitOptions } from './job.js';
export type { WaitMode, WaitStrategy } from './wait.js';
export { ApiError, ConnectionError, InferenceFailed, InferenceTimeout, ReelayError } from './errors.js';
export type { Destination, WritableLike } from './download.js';
export type { FetchLike } from './http.js';
export type { CompletedResult, FailedResult, Metrics, RequestStatus, StatusBody, SubmitResponse, SyncResult } from './types.js';
export type { ModelName, ModelParamsMap, ParamsFor } from './models/index.js';
export * from './models/veo-2-image2video.js';
