/** The client's Server-Sent Events parser: every line ending, chunks split anywhere, the spec's field rules. */
import { describe, expect, it } from 'vitest';
import { type SseMessage, createSseParser } from '../../clients/task-viewer-client/src/sse.js';

function parseAll(chunks: string[]) {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = createSseParser((m) => messages.push(m), (c) => comments.push(c));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments, lastEventId: parser.lastEventId };
}

const STREAM = ': hello\n\nid: 1\nevent: task.updated\ndata: {"a":1}\n\nid: 2\ndata: line one\ndata: line two\nretry: 2500\n\n';

describe('createSseParser', () => {
  it('parses events, comments, multi-line data, ids and retry', () => {
    const { messages, comments, lastEventId } = parseAll([STREAM]);
    expect(comments).toEqual(['hello']);
    expect(messages).toEqual([
      { id: '1', event: 'task.updated', data: '{"a":1}', retry: undefined },
      { id: '2', event: 'message', data: 'line one\nline two', retry: 2500 },
    ]);
    expect(lastEventId).toBe('2');
  });

  it('gives the same events however the stream is cut into chunks, with LF, CRLF or CR line ends', () => {
    const expected = parseAll([STREAM]).messages;
    for (const ending of ['\n', '\r\n', '\r']) {
      const text = STREAM.replace(/\n/g, ending);
      for (let cut = 1; cut < text.length; cut++) {
        expect(parseAll([text.slice(0, cut), text.slice(cut)]).messages, `ending ${JSON.stringify(ending)} cut at ${cut}`).toEqual(expected);
      }
      expect(parseAll([...text]).messages).toEqual(expected);
    }
  });

  it('keeps an incomplete event until its blank line arrives, and ignores unknown fields and NUL ids', () => {
    const messages: SseMessage[] = [];
    const parser = createSseParser((m) => messages.push(m));
    parser.push('id: 7\nfoo: bar\ndata: x');
    expect(messages).toEqual([]);
    parser.push('\n\nid: bad\0id\ndata: y\n\n');
    expect(messages).toEqual([
      { id: '7', event: 'message', data: 'x', retry: undefined },
      { id: '7', event: 'message', data: 'y', retry: undefined },
    ]);
  });

  it('dispatches nothing for an event without data, and strips only one leading space', () => {
    const { messages } = parseAll(['event: ping\n\ndata:  two spaces\n\ndata\n\n']);
    expect(messages).toEqual([
      { id: undefined, event: 'message', data: ' two spaces', retry: undefined },
      { id: undefined, event: 'message', data: '', retry: undefined },
    ]);
  });
});
