// A browser capture opens with a few ms of digital silence before the microphone's first buffer
// (Chromium 156: about 20 ms, measured through the offscreen document). The detector learns its
// noise floor from the first sound it is given, so those zeros would set the floor at "nothing"
// and the room's own noise would sound like a voice for its first seconds. Exact zeros are no
// sound at all — a real microphone always hisses — so they are dropped until the sound starts.

export class LeadIn {
  private started = false;

  /** The part of `frame` from the capture's first sound on; undefined while it has not started. */
  trim(frame: Float32Array): Float32Array | undefined {
    if (this.started) return frame;
    const first = frame.findIndex((sample) => sample !== 0);
    if (first < 0) return undefined;
    this.started = true;
    return first === 0 ? frame : frame.subarray(first);
  }
}
