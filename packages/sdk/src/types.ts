/** Wire shapes of docs/api.md §4 and §5. Reelay extension fields are optional: Segmind omits them. */

export type RequestStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

export interface Metrics {
  inference_time?: number | null;
  queue_time?: number | null;
}

export interface SubmitResponse {
  request_id: string;
  status: RequestStatus;
  status_url: string;
  response_url: string;
  poll_url?: string;
}

export interface StatusBody {
  request_id: string;
  status: RequestStatus;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  expires_at?: string | null;
  /** Reelay extensions: 0 to 100, place in the queue while QUEUED, estimated seconds left. */
  progress?: number;
  queue_position?: number;
  eta_seconds?: number;
  error?: string | null;
  code?: string;
}

export interface CompletedResult {
  request_id: string;
  status: 'COMPLETED';
  error: null;
  /** The video URL (signed, no key needed on Reelay). */
  output: string;
  metrics?: Metrics;
  output_type?: string;
  seed?: number;
  engine?: string;
  expires_at?: string;
}

export interface FailedResult {
  request_id: string;
  status: 'FAILED';
  error: string;
  /** content_blocked | engine_error | timeout | canceled | upstream_unavailable | ... (Reelay extension). */
  code?: string;
  metrics?: Metrics;
}

export interface SyncResult {
  video: Uint8Array;
  requestId: string | null;
  seed: number | null;
  engine: string | null;
  contentType: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
