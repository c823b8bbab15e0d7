import type { FastifyReply } from 'fastify';

/** Sets `ETag` to the revision of a read or write result and returns the result. */
export async function withEtag<T extends { revision: string }>(
  reply: FastifyReply,
  result: Promise<T>,
): Promise<T> {
  const r = await result;
  void reply.header('etag', `"${r.revision}"`);
  return r;
}
