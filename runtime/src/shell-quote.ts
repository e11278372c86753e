/**
 * Quoting for the commands Tributary prints as hints (`tributary deployment run '<name>'`), so a
 * hint pasted into a shell passes each argument whole. POSIX shell rules (sh, bash, zsh; also
 * PowerShell, where a single-quoted string is literal too): an argument made only of characters no
 * shell treats specially stays bare; any other is wrapped in single quotes, inside which nothing
 * is special, and a `'` in it is written `'\''`. Windows `cmd.exe` differs (it knows only double
 * quotes, and `%` expands even inside them); the hints do not cater for it.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument, quoted for a POSIX shell when it needs it: `Upstream Data/prep` → `'Upstream Data/prep'`. */
export function shellQuote(argument: string): string {
  if (SAFE.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as it needs: `shellCommand(["tributary", "run", "a b.ts"])`. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
