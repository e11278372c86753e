/** The states a due deployment run waits in before a worker claims it (Store.claimDueRun). */
export const DUE_STATE_NAMES: readonly string[] = ["Scheduled", "Late", "AwaitingConcurrencySlot"];
