import { Type } from 'typebox';

export const HealthCheck = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  detail: Type.Optional(Type.String()),
});
export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: HealthCheck,
  temporal: HealthCheck,
});
export const Liveness = Type.Object({ status: Type.Literal('ok') });
