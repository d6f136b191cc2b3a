// The drill's SMTP server: tests/helpers/smtp.ts's, plus an 'error' listener. The drill SIGKILLs workers that
// may be mid-session (pooled SMTP), and a connection reset is then an event the server emits; unheard, it
// would end the drill process. Resets are counted, not fatal; mail is parsed back with mailparser.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface DrillSmtp {
  port: number;
  received: ParsedMail[];
  errors: string[];
  stop(): Promise<void>;
}

export async function startDrillSmtp(): Promise<DrillSmtp> {
  const received: ParsedMail[] = [];
  const errors: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => (received.push(m), callback()), callback);
    },
  });
  server.on('error', (e) => errors.push((e as Error).message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, errors, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
