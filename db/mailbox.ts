import type { Db } from './connection';

export async function storeDevMail(
  db: Db,
  m: { recipient: string; subject: string; text: string; html?: string },
): Promise<void> {
  await db
    .insertInto('dev_mailbox')
    .values({ recipient: m.recipient, subject: m.subject, text: m.text, html: m.html ?? null })
    .execute();
}

export async function listDevMail(db: Db, q: { limit: number; offset: number }) {
  const [items, count] = await Promise.all([
    db.selectFrom('dev_mailbox').selectAll().orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    db
      .selectFrom('dev_mailbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}
