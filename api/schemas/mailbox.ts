import { Type } from 'typebox';

/** A message kept by the development mailbox (no SMTP_URL set). */
export const DevMail = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  sentAt: Type.String({ format: 'date-time' }),
});
