import { flow, deploy } from "tributaryjs";

export const job = flow("job", async () => null);

// Valid schedules.
export const a = deploy(job, { name: "cron", schedule: { cron: "*/15 * * * *", timezone: "America/New_York" } });
export const b = deploy(job, { name: "interval-string", schedule: { interval: "90s", anchor: "2025-01-01T00:00:00Z" } });
export const c = deploy(job, { name: "interval-seconds", schedule: { interval: 3600 } });
export const d = deploy(job, { name: "rrule", schedule: { rrule: "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=6" } });
export const e = deploy(job, { name: "many", schedules: [{ cron: "0 6 * * *" }, { interval: "2h" }] });

// Invalid ones.
export const f = deploy(job, { name: "bad-cron", schedule: { cron: "61 * * * *" } });
export const g = deploy(job, { name: "never", schedule: { cron: "0 0 30 2 *" } });
export const h = deploy(job, { name: "bad-interval", schedule: { interval: "5 parsecs" } });
export const i = deploy(job, { name: "zero-interval", schedule: { interval: 0 } });
export const j = deploy(job, { name: "bad-rrule", schedule: { rrule: "FREQ=SOMETIMES" } });
export const k = deploy(job, { name: "bad-zone", schedule: { cron: "0 6 * * *", timezone: "Mars/Olympus_Mons" } });
export const l = deploy(job, { name: "two-kinds", schedule: { cron: "0 6 * * *", interval: 60 } });
export const m = deploy(job, { name: "bad-anchor", schedules: [{ interval: "1d", anchor: "yesterday" }] });

// An rrule with its own start: no TRB122 (the one above, "rrule", has none: TRB122).
export const n = deploy(job, { name: "rrule-dtstart", schedule: { rrule: "DTSTART:20260101T060000Z\nRRULE:FREQ=DAILY" } });
