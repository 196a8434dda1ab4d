/** Where ONNX Runtime runs a model; kept apart so that naming one does not load the runtime. */
export type ExecutionProvider = 'cpu' | 'cuda';

export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'cuda'];
