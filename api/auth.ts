// Bearer-token authentication for every /v1 route. Until partner keys exist the admin token is the only key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { unauthorized } from './errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireBearer(app: FastifyInstance, adminToken: string): void {
  const expected = digest(adminToken);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // Compare digests, so the comparison takes the same time whatever the token's length.
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw unauthorized();
  });
}
