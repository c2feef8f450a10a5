/**
 * The order in which the endpoint works on Kinesis calls: one call per turn of Node's event loop, in the order
 * their bodies arrived, and after each the work it left for after its answer (Session.settle) in a turn of its
 * own. A call that arrives while none is waiting is worked on at once.
 *
 * Why turns: Node sends an HTTP/2 answer's frames only in the event loop's check phase, after the callbacks of
 * the current phase. When the bodies of several calls completed together (an SDK client with 4 PutRecords in
 * flight sends them together), the server worked on them all before the first answer left, and client and
 * server then took turns instead of working side by side. Measured with `npm run bench:endpoint` (500-entry
 * PutRecords, 4 in flight, against the null server in the same run): 66–71 % calls in a row, 71–75 % one a
 * turn, 81–87 % one a turn with the records stored after the answer (stop 23, same machine and session).
 */
export class CallTurns {
  /** Calls waiting for their turn, oldest first (a short queue: at most one per open connection). */
  private readonly waiting: (() => void)[] = [];
  /** Whether a turn is scheduled (a call or a settle is due). */
  private scheduled = false;
  /** Whether a call is being worked on now (a call made from inside one waits its turn). */
  private working = false;
  /** Whether the last call's settle is due (its turn comes before the next call's). */
  private settleDue = false;
  private readonly settle: () => void;

  /** `settle` completes what the last call left for after its answer. */
  constructor(settle: () => void) {
    this.settle = settle;
  }

  /**
   * Works on `call` now if nothing is waiting or due, else in its turn after those before it. A call or a
   * settle that throws is Shardlab's bug, never a client's (the endpoint answers every fault itself): it is
   * reported on stderr and the next calls go on.
   */
  run(call: () => void): void {
    if (this.scheduled || this.working) {
      this.waiting.push(call);
      return;
    }
    this.work(call);
  }

  /** Calls waiting for their turn. */
  get pending(): number {
    return this.waiting.length;
  }

  private work(call: () => void): void {
    this.working = true;
    try {
      call();
    } catch (error) {
      console.error('Shardlab: a Kinesis call failed outside its answer:', error);
    } finally {
      this.working = false;
      this.settleDue = true;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    if (this.settleDue) {
      this.settleDue = false;
      try {
        this.settle();
      } catch (error) {
        console.error('Shardlab: settling a call failed:', error);
      }
      if (this.waiting.length > 0) this.schedule();
      return;
    }
    const call = this.waiting.shift();
    if (call) this.work(call);
  };
}
