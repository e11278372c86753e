/** The module whose calls the analysis reads: the API being analysed, wherever it is installed. */
export const TRIBUTARY_MODULE = "tributaryjs";
