/**
 * The part of node-red-node-test-helper's API the tests use (the package ships no types).
 */
declare module 'node-red-node-test-helper' {
  import type { Node } from 'node-red';

  /** A node loaded by the helper: a real runtime node, plus the helper's assertions on it. */
  type TestNode = Node & Record<string, unknown>;

  interface NodeTestHelper {
    init(nodeRedRuntime: string, userSettings?: Record<string, unknown>): void;
    load(
      testNodes: unknown,
      testFlow: object[],
      testCredentials?: Record<string, unknown>,
      cb?: () => void,
    ): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    startServer(done: (err?: Error) => void): void;
    stopServer(done: (err?: Error) => void): void;
    clearFlows(): Promise<void>;
    setFlows(
      flow: object[],
      type?: string,
      testCredentials?: Record<string, unknown>,
    ): Promise<void>;
    request(): unknown;
    url(): string;
    settings(settings: Record<string, unknown>): void;
    log(): { args: unknown[][]; restore(): void };
  }

  const helper: NodeTestHelper;
  export default helper;
}
