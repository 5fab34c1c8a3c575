import { close, fsync, open } from "node:fs";

/**
 * Group commit for a SQLite WAL file: `sync()` resolves once an fsync of the WAL that started
 * after the call has finished. Commits that arrive while one fsync runs share the next one, and
 * the fsync runs on libuv's thread pool, so the event loop keeps serving reads meanwhile.
 *
 * With `synchronous = NORMAL` SQLite writes each commit to the WAL (in the OS page cache, so it
 * already survives a killed process) and fsyncs only at checkpoints; awaiting `sync()` before
 * answering 2xx restores the power-loss guarantee of `synchronous = FULL` without one
 * synchronous fsync per write on the event loop.
 */
export class GroupSync {
  readonly #path: string;
  #fd: Promise<number> | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(walPath: string) {
    this.#path = walPath;
  }

  sync(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return (this.#running = this.#start());
    // An fsync already running may have started before this caller's commit: wait for the next.
    this.#queued = this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return (this.#running = this.#start());
      });
    return this.#queued;
  }

  /** Closes the file descriptor, after every sync requested so far has finished. */
  async close(): Promise<void> {
    await (this.#queued ?? this.#running)?.catch(() => undefined);
    const fd = await this.#fd?.catch(() => undefined);
    this.#fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  #start(): Promise<void> {
    const started: Promise<void> = this.#descriptor()
      .then(
        (fd) =>
          new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve()))),
      )
      .finally(() => {
        if (this.#running === started) this.#running = undefined;
      });
    return started;
  }

  #descriptor(): Promise<number> {
    // SQLite keeps the -wal file (truncating, never unlinking it) while a connection is open.
    this.#fd ??= new Promise<number>((resolve, reject) =>
      open(this.#path, "r", (error, fd) => (error ? reject(error) : resolve(fd))),
    );
    const fd = this.#fd;
    fd.catch(() => {
      if (this.#fd === fd) this.#fd = undefined;
    });
    return fd;
  }
}
