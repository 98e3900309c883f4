/**
 * A server-sent events parser that follows the HTML standard's rules ("Interpreting an event stream"), fed with text
 * as it arrives in chunks of any size: lines end in CRLF, LF or CR (a CR at the end of one chunk and an LF at the
 * start of the next are one line ending); `data` lines are joined with LF; an `id` holding NUL is ignored and a bare
 * `id` resets the last event id; `retry` with digits only sets the reconnection time; a leading BOM is dropped.
 * Checked against eventsource-parser in test/lib/differential-sse.node.test.ts.
 */
export interface ServerSentEvent {
  /** The event type (`message` unless an `event` field named it). */
  event: string;
  data: string;
  /** The last event id when the event was dispatched. */
  id: string;
}

export class SseParser {
  /** The last event id (set at each blank line from the last `id` field), to send as `Last-Event-ID` when reconnecting. */
  lastEventId: string;
  /** The reconnection time the server asked for (ms), if any. */
  retry?: number;
  #buffer = '';
  #afterCR = false;
  #started = false;
  #event = '';
  #data: string[] = [];
  #id: string;

  /** `lastEventId`: the id a reconnecting stream starts from (the one sent as `Last-Event-ID`). */
  constructor(
    private readonly onEvent: (event: ServerSentEvent) => void,
    lastEventId = '',
  ) {
    this.lastEventId = this.#id = lastEventId;
  }

  feed(chunk: string): void {
    let text = chunk;
    if (!this.#started && text) {
      this.#started = true;
      if (text.startsWith('\ufeff')) text = text.slice(1);
    }
    // the LF of a CRLF split across two chunks is not a second line ending
    if (this.#afterCR && text.startsWith('\n')) text = text.slice(1);
    this.#afterCR = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\r' && c !== '\n') continue;
      this.#line(this.#buffer + text.slice(start, i));
      this.#buffer = '';
      if (c === '\r') {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.#buffer += text.slice(start);
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return; // a comment (the server's heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id') {
      if (!value.includes('\0')) this.#id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  #dispatch(): void {
    this.lastEventId = this.#id;
    const data = this.#data;
    const event = this.#event || 'message';
    this.#data = [];
    this.#event = '';
    if (data.length) this.onEvent({ event, data: data.join('\n'), id: this.lastEventId });
  }
}
