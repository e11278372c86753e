// No "tributaryjs" import: read only because flow files import its constants.
export const REPORT_FLOW = "daily-report";
export const DEPLOYMENTS = { report: `${REPORT_FLOW}/daily` } as const;
