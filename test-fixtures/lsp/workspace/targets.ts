// No "tributaryjs" import: a constants file that reporting.ts reads its flow name from.
export const REPORT_AFTER = "upstream-flow";
