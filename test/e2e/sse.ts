/**
 * Reads a server-sent event stream for the e2e tests: opens `url`, starts `act` once the stream is open, and collects
 * the events (name and parsed data) until `done` says enough; then waits for `act` and closes the stream.
 */
import assert from "node:assert/strict";

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

export const readSse = async (
  url: string,
  act: () => Promise<void>,
  done: (events: readonly SseEvent[]) => boolean,
): Promise<SseEvent[]> => {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  let acting: Promise<void> | undefined;
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += value;
    let i: number;
    while ((i = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown });
    }
    acting ??= act();
    if (done(events)) break;
  }
  await acting;
  ac.abort();
  return events;
};
