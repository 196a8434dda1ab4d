/**
 * What the node flow tests share: node-red-node-test-helper started on a real Node-RED runtime,
 * the node under test wired to a `helper` node and to a Catch node, and readers for the spied
 * status and error calls the helper records.
 */
import type { NodeStatus } from 'node-red';
import helper from 'node-red-node-test-helper';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const catchNode = require('@node-red/nodes/core/common/25-catch.js');

helper.init(require.resolve('node-red'));

export { helper };

export type Msg = Record<string, unknown>;

interface SpyCall {
  thisValue: unknown;
  args: unknown[];
}

export interface TestNode {
  receive(msg: Msg): void;
  on(event: 'input', cb: (msg: Msg) => void): void;
  listenerCount(event: string): number;
  /** The helper replaces these Node methods with spies shared by every node. */
  status: { getCalls(): SpyCall[] };
  error: { getCalls(): SpyCall[] };
  warn: { getCalls(): SpyCall[] };
}

/** First arguments of the calls of a spied Node method made by `node`. */
export function callsOf(node: TestNode, method: 'status' | 'error' | 'warn'): unknown[] {
  return node[method]
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0]);
}

export function statusesOf(node: TestNode): NodeStatus[] {
  return callsOf(node, 'status') as NodeStatus[];
}

export function nextMessage(node: TestNode): Promise<Msg> {
  return new Promise((resolve) => node.on('input', resolve));
}

/** Messages that reach `node`, collected in arrival order. */
export function collect(node: TestNode): Msg[] {
  const list: Msg[] = [];
  node.on('input', (msg) => list.push(msg));
  return list;
}

/** Resolves once `list` holds `count` entries; rejects after `timeoutMs`. */
export async function waitForLength(list: unknown[], count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (list.length < count) {
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${count} messages, got ${list.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `[node under test] → out`, plus `catch (scope: the node) → caught`. The tab is named so that
 * Catch scoping works as in the editor.
 */
export function wiredFlow(node: Record<string, unknown>): object[] {
  const id = String(node.id);
  return [
    { id: 'tab', type: 'tab' },
    { ...node, z: 'tab', wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: [id], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

/** Starts the helper's HTTP server for the suite and unloads the flow after each test. */
export function useNodeRed(): void {
  before((done) => {
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  afterEach(() => helper.unload());
}
