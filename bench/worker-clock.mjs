// Loaded into the scale run's worker processes (NODE_OPTIONS=--import) when the run would meet the digest's mail
// hours (07:00-20:00 in Amsterdam, deliverMail's nextMailMoment) outside them: their wall clock (Date) reads
// BENCH_WORKER_CLOCK_SHIFT_MS later or earlier, so a benchmark run in the evening sends its 10:00 digest at once
// instead of at 07:00 the next morning. Only the activities' JavaScript clock moves: Temporal (workflow time, timers,
// timeouts) and PostgreSQL (the outbox's claimed_at and sent_at) keep the real one, and every figure is a difference
// of the bench process's own clock.
const shift = Number(process.env.BENCH_WORKER_CLOCK_SHIFT_MS ?? 0);
if (shift) {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + shift);
      else super(...args);
    }
    static now() {
      return realNow() + shift;
    }
  }
  globalThis.Date = ShiftedDate;
}
