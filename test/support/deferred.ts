/** A promise with its `resolve` / `reject` exposed, to release async handlers one by one. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
  /** True once resolve or reject was called. */
  readonly settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve: (value) => {
      settled = true;
      resolve(value);
    },
    reject: (reason) => {
      settled = true;
      reject(reason);
    },
    get settled() {
      return settled;
    },
  };
}

/** Tracks whether a promise has settled yet, without handling it twice. */
export function track<T>(promise: Promise<T>): {
  readonly done: boolean;
  readonly promise: Promise<T>;
} {
  let done = false;
  const watched = promise.then(
    (value) => {
      done = true;
      return value;
    },
    (error: unknown) => {
      done = true;
      throw error;
    },
  );
  return {
    get done() {
      return done;
    },
    promise: watched,
  };
}
