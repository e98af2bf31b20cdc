// The evidence bytes embedded in the case, produced beside the parsing instead of in step with it: a stream of
// pieces (the file's own bytes, or a level-1 gzip of them made on libuv's thread pool) read ahead into a bounded
// queue. Each part handed to the writer takes the pieces that are ready, so embedding never holds parsing up
// (and parsing never waits for the compressor); what is left is handed over at the end.

export class BlobPump {
  private queue: Buffer[] = [];
  private bytes = 0;
  private pulling = false;
  private done = false;
  private error: unknown = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: AsyncIterator<Buffer>,
    /** Bytes read ahead at most (then the source waits). */
    private readonly cap: number,
  ) {
    this.pull();
  }

  private pull(): void {
    if (this.pulling || this.done || this.bytes >= this.cap) return;
    this.pulling = true;
    this.source.next().then(
      (r) => {
        this.pulling = false;
        if (r.done) this.done = true;
        else {
          this.queue.push(r.value);
          this.bytes += r.value.length;
        }
        this.wakeUp();
        this.pull();
      },
      (err: unknown) => {
        this.pulling = false;
        this.done = true;
        this.error = err;
        this.wakeUp();
      },
    );
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The pieces ready now, in order (never waits). */
  take(): Buffer[] {
    const q = this.queue;
    this.queue = [];
    this.bytes = 0;
    this.pull();
    return q;
  }

  /** The next piece, waiting for it; null at the end. Throws what the source threw. */
  async next(): Promise<Buffer | null> {
    while (this.queue.length === 0 && !this.done) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.queue.length > 0) {
      const piece = this.queue.shift()!;
      this.bytes -= piece.length;
      this.pull();
      return piece;
    }
    if (this.error) throw this.error;
    return null;
  }
}
