/**
 * Railway carries out the first request of `operation`, then the client's timeout fires before the
 * answer arrives: the client's own timeout signal (its clock's `abortAfter`) is aborted on cue, so no
 * test waits the 30 or 90 seconds a real timeout takes. What the client then knows is what it knows
 * after a real timeout: nothing, though Railway acted.
 */
export function answerLostAfterActing(operation: string) {
  let armed = true;
  const cues: AbortController[] = [];
  /** The timeouts the client asked for, in order. */
  const timeouts: number[] = [];
  return {
    timeouts,
    fired: () => !armed,
    abortAfter: (ms: number): AbortSignal => {
      timeouts.push(ms);
      const cue = new AbortController();
      cues.push(cue);
      return cue.signal;
    },
    fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const answer = await fetch(input, { ...init, signal: null });
      if (armed && typeof init?.body === 'string' && init.body.includes(`"operationName":"${operation}"`)) {
        armed = false;
        cues.at(-1)?.abort();
        throw new DOMException('The operation was aborted.', 'AbortError');
      }
      return answer;
    }) as typeof fetch,
  };
}
