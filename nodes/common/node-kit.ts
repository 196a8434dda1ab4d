/**
 * What every Maskwatch node shares: input handling that calls `done` exactly once on every path,
 * status colours that mean the same thing in every node, and a rate-limited per-frame warning.
 */
import type { Node, NodeMessageInFlow, NodeStatus } from 'node-red';

export type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';

/** A message as it travels the chain; stages add their own properties (see the message contract). */
export type FlowMessage = NodeMessageInFlow & Record<string, unknown>;

export type Send = (msg: FlowMessage | (FlowMessage | FlowMessage[] | null)[]) => void;

export const status = {
  /** Working normally; `text` says what was last done. */
  ok: (text: string): NodeStatus => ({ fill: 'green', shape: 'dot', text }),
  /** Idle, loading or waiting. */
  idle: (text: string): NodeStatus => ({ fill: 'grey', shape: 'ring', text }),
  /** Degraded but running (frames dropped, fallback engine). */
  warn: (text: string): NodeStatus => ({ fill: 'yellow', shape: 'dot', text }),
  /** A message failed or the node cannot start. */
  error: (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text: truncate(text, 60) }),
};

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The camera a message belongs to: msg.topic, or '' for an untitled single camera. */
export function cameraOf(msg: Record<string, unknown>): string {
  const topic = msg.topic;
  return topic === undefined || topic === null ? '' : String(topic);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The node's settings as `parse` reads them, or undefined after a red status and an error log
 * naming the bad setting; the caller then returns without registering any handler, so the node
 * does not start.
 */
export function settingsOrFail<T>(node: Node, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    node.status(status.error(errorMessage(err)));
    node.error(errorMessage(err));
    return undefined;
  }
}

/**
 * Registers `handler` on the node's input. A thrown or rejected error goes to `done(err)` (so
 * Catch nodes see it) and to a red status; `done()` is called once otherwise. The flow goes on.
 */
export function onInput(
  node: Node,
  handler: (msg: FlowMessage, send: Send) => Promise<void> | void,
): void {
  node.on('input', (msg: NodeMessageInFlow, send: Send, done: (err?: Error) => void) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) {
        done();
        return;
      }
      node.status(status.error(errorMessage(err)));
      done(err instanceof Error ? err : new Error(String(err)));
    };
    try {
      Promise.resolve(handler(msg as FlowMessage, send)).then(() => finish(), finish);
    } catch (err) {
      finish(err);
    }
  });
}

/**
 * Warns at most once per `intervalMs` and counts what it suppressed, so a per-frame problem does
 * not flood the log. The clock is injected for tests.
 */
export class RateLimitedWarn {
  private lastMs = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly warn: (text: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  emit(text: string): void {
    const t = this.now();
    if (t - this.lastMs < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const tail = this.suppressed > 0 ? ` (${this.suppressed} similar warnings suppressed)` : '';
    this.warn(text + tail);
    this.lastMs = t;
    this.suppressed = 0;
  }
}
