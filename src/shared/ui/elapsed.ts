// How long the agent has been muted, as the page control and the popup show it ("0:42", "1:05:09").
// The views count it themselves from the mute's start, so the worker sends nothing each second.

/** `m:ss` under an hour, `h:mm:ss` from then on; never negative (clocks of one machine, but still). */
export function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Milliseconds until the shown count next changes (the next whole second since `since`). */
export function untilNextSecond(since: number, now: number): number {
  const into = (((now - since) % 1000) + 1000) % 1000;
  return 1000 - into;
}
