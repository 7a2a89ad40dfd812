/**
 * A Server-Sent Events parser (the WHATWG "event stream" format) for streamed fetch bodies: feed it
 * decoded text chunks as they arrive, it calls back once per complete event. Kept separate from the
 * transport so it can be tested on its own (chunks split anywhere, CRLF / LF / CR line ends).
 */

/** One dispatched event: `event` defaults to `message`, `id` is the last id seen on the stream. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
  /** A `retry:` value sent with this event, in milliseconds. */
  retry: number | undefined;
}

export interface SseParser {
  /** Parse more text; complete events are dispatched at once, a partial line is kept for later. */
  push(chunk: string): void;
  /** The last event id the stream set (what to send as `Last-Event-ID` on reconnect). */
  readonly lastEventId: string | undefined;
  /** The last `retry:` the stream sent (the reconnection delay it asks for, in ms), with or without an event. */
  readonly reconnectMs: number | undefined;
}

export function createSseParser(onMessage: (message: SseMessage) => void, onComment?: (text: string) => void): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let retry: number | undefined;
  let lastEventId: string | undefined;
  let reconnectMs: number | undefined;
  // A chunk may end between the CR and LF of one CRLF: the LF then belongs to the line already ended.
  let skipLeadingLf = false;

  const dispatch = () => {
    if (data.length > 0) onMessage({ id: lastEventId, event: event || 'message', data: data.join('\n'), retry });
    data = [];
    event = '';
    retry = undefined;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        event = value;
        break;
      case 'id':
        // The spec ignores ids containing NULL.
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = reconnectMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  };

  return {
    push(chunk) {
      if (skipLeadingLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
      skipLeadingLf = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
    get reconnectMs() {
      return reconnectMs;
    },
  };
}
