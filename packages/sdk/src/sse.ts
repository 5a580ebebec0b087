export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream body (WHATWG HTML "server-sent events": CRLF, CR or LF line ends,
 * comment lines, multi-line data). Written here rather than using EventSource because
 * EventSource cannot send the x-api-key header and does not exist in Node 20.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event: { id: string | undefined; event: string; data: string[] } = { id: undefined, event: 'message', data: [] };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      // The last piece may be half a line (or a CR whose LF has not arrived): keep it for later.
      buffer = done ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (line === '') {
          if (event.data.length > 0) yield { id: event.id, event: event.event, data: event.data.join('\n') };
          event = { id: event.id, event: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
