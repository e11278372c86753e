// Imports nothing of Tributary: not flow code, never reported.
export const greeting = "hello";
