/** A real HTTP client of a server-sent event stream, for tests. */

/** One parsed frame. */
export interface SseFrame {
  event: string;
  id?: string;
  data: string;
}

/** An open stream: its status and headers, the frames received so far, and a way to close it. */
export interface SseStream {
  status: number;
  headers: Headers;
  /** Everything received, comments included (heartbeats are comment lines). */
  text(): string;
  frames(): SseFrame[];
  /** Resolves with the first frame (received now or later) matching `pick`. */
  next(pick: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

/** Opens `url` with `headers` and reads it in the background until closed. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  let buffer = '';
  const waiters = new Set<() => void>();
  if (res.body) {
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (const w of [...waiters]) w();
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  const frames = (): SseFrame[] =>
    buffer
      .split('\n\n')
      .slice(0, -1)
      .map((block) => {
        const f: SseFrame = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('data: ')) f.data += line.slice(6);
        }
        return f;
      })
      .filter((f) => f.data !== '');
  return {
    status: res.status,
    headers: res.headers,
    text: () => buffer,
    frames,
    next(pick, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames().find(pick);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; received:\n${buffer}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
