// PGlite served over the PostgreSQL protocol, so the API and worker processes of `npm start` share one
// embedded database. pglite-socket 0.2 queues protocol *messages* from all connections in one FIFO, so
// two connections running parameterised queries at once interleave their Parse/Bind/Execute messages and
// bind each other's statements (PostgreSQL error 26000, or worse, a wrong result). This queue keeps an
// extended-protocol sequence together: once a connection has sent a message other than Sync or a simple
// Query, only that connection's messages run until its Sync; and inside a transaction only its own.
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PGlite } from '@electric-sql/pglite';

interface Item { handlerId: number; message: Uint8Array; onData: (data: Uint8Array) => void; resolve: (n: number) => void; reject: (e: unknown) => void }

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

export class SequenceQueue {
  private queue: Item[] = [];
  private processing = false;
  /** The connection in the middle of an extended-protocol sequence or a transaction, if any. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === this.owner);
        if (index === -1) return; // the owner's next message has not arrived yet
        const item = this.queue.splice(index, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (d) => { bytes += d.length; item.onData(d); } }));
        } catch (e) {
          this.owner = null;
          item.reject(e);
          continue;
        }
        const type = item.message[0];
        const ended = type === SYNC || type === QUERY || type === TERMINATE || type === 0; // 0: a startup message
        this.owner = !ended || this.db.isInTransaction() ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((q) => (q.handlerId === handlerId ? (q.reject(new Error('Handler disconnected')), false) : true));
  }

  /** A connection that went away mid-sequence or mid-transaction must not block everyone else. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.process();
  }
}

export async function servePglite(db: PGlite, host = '127.0.0.1'): Promise<PGLiteSocketServer> {
  const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: 100 });
  // Replaces the library's message queue before any connection is made (each handler takes it on connect).
  (server as unknown as { queryQueue: SequenceQueue }).queryQueue = new SequenceQueue(db);
  await server.start();
  return server;
}
