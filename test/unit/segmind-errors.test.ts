import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../src/api/segmind/error-response.js';
import { invalidRequest, ReelayError } from '../../src/errors.js';

describe('Segmind error rendering (SPEC 6)', () => {
  it('maps the balance to X-Remaining-Credits, never into the body', () => {
    const err = new ReelayError('insufficient_credits', 'Insufficient credits', { data: { balance: 3 } });
    expect(errorResponse(err)).toEqual({
      status: 406,
      headers: { 'X-Remaining-Credits': '3' },
      body: { error: 'Insufficient credits', code: 'insufficient_credits' },
    });
  });

  it('maps the retry delay to Retry-After', () => {
    const err = new ReelayError('rate_limited', 'slow down', { data: { retryAfterSeconds: 5 } });
    expect(errorResponse(err)).toMatchObject({ status: 429, headers: { 'Retry-After': '5' } });
  });

  it('puts request_id and status in the body, in that order, before details', () => {
    const conflict = new ReelayError('conflict', 'already done', { data: { requestId: 'r1', status: 'COMPLETED' } });
    expect(JSON.stringify(errorResponse(conflict).body)).toBe('{"error":"already done","code":"conflict","request_id":"r1","status":"COMPLETED"}');
    const invalid = errorResponse(invalidRequest([{ field: 'duration', message: 'must be one of 5, 6, 7, 8' }]));
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toBe(
      '{"error":"duration: must be one of 5, 6, 7, 8","code":"invalid_request","details":[{"field":"duration","message":"must be one of 5, 6, 7, 8"}]}',
    );
  });
});
