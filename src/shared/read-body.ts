import type { Readable } from 'node:stream';

/**
 * The body, up to `limit` bytes. Over the limit, what is left of it is read and thrown away (not
 * destroyed, not left paused: a client still sending a large body reads the answer only once it
 * has sent it, and Node no longer drains a body that was read from; the listener's request timeout
 * bounds how long). With listeners rather than an async iterator, which cost twice as much CPU for
 * a one-chunk form.
 */
export function readBody(stream: Readable, limit: number): Promise<Buffer | 'too_large' | 'unreadable'> {
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // closed without its end: no 'close' would come to settle the promise below
  if (stream.destroyed) return Promise.resolve('unreadable');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too_large' | 'unreadable') => {
      stream.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onFailure);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      finish('too_large');
      // no 'data' listener is left: flowing on, the rest is dropped as it comes
      stream.resume();
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    // closed before its end: the client went away mid-body
    const onFailure = () => finish('unreadable');
    stream.on('data', onData).on('end', onEnd).on('error', onFailure).on('close', onFailure);
  });
}
