// The child side of the bench's setup protocol: the driver sends { id, op, args } over the fork
// IPC channel and gets { id, ok, result } or { id, ok: false, error } back.

/** Answers the driver's setup operations with `ops[op](args)`; exits when the driver goes away. */
export function serveSetup(ops) {
  process.on('message', async ({ id, op, args }) => {
    try {
      if (typeof ops[op] !== 'function') throw new Error(`unknown setup operation ${op}`);
      process.send({ id, ok: true, result: await ops[op](args ?? {}) });
    } catch (error) {
      process.send({ id, ok: false, error: error?.stack ?? String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Tells the driver the server listens (and where). */
export function announceReady(details) {
  process.send({ ready: true, pid: process.pid, ...details });
}
