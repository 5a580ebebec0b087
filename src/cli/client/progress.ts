import type { StatusBody } from '@reelay/sdk';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** "PROCESSING 40% ETA 3s", "QUEUED #2 in queue ETA 9s": the words both renderings share. */
export function describeStatus(s: StatusBody, bar = false): string {
  const parts: string[] = [s.status];
  if (s.status === 'QUEUED' && s.queue_position !== undefined) parts.push(`#${s.queue_position} in queue`);
  if (s.status === 'PROCESSING' && s.progress !== undefined) {
    const pct = Math.round(s.progress);
    if (bar) parts.push(`[${'#'.repeat(Math.round(pct / 5)).padEnd(20, '-')}]`);
    parts.push(`${pct}%`);
  }
  if (s.eta_seconds !== undefined && s.eta_seconds !== null && (s.status === 'QUEUED' || s.status === 'PROCESSING'))
    parts.push(`ETA ${duration(s.eta_seconds)}`);
  if (s.status === 'FAILED') parts.push(`${s.code ? `(${s.code}) ` : ''}${s.error ?? ''}`.trim());
  return parts.join(' ');
}

/**
 * Live progress on stderr (stdout stays for results). On a terminal one line redraws in place;
 * otherwise (logs, CI, pipes) a plain line is printed when the status changes or progress passes
 * another 10%, so logs stay short.
 */
export class ProgressLine {
  private drawn = false;
  private lastPlain = '';
  private readonly started = Date.now();

  constructor(
    private readonly out: ProgressSink,
    private readonly requestId: string,
  ) {}

  update(s: StatusBody): void {
    if (this.out.isTTY) {
      const elapsed = duration((Date.now() - this.started) / 1000);
      this.out.write(`\r\x1b[2K${this.requestId} ${describeStatus(s, true)} (${elapsed})`);
      this.drawn = true;
      return;
    }
    const step = s.progress === undefined ? '' : String(Math.floor(s.progress / 10));
    const key = `${s.status}|${s.status === 'QUEUED' ? String(s.queue_position) : step}`;
    if (key === this.lastPlain) return;
    this.lastPlain = key;
    this.out.write(`${this.requestId} ${describeStatus(s)}\n`);
  }

  /** Ends the redrawn line so the next output starts on its own line. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
