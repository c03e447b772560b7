/** Shared CLI output conventions: one-line errors, never stack traces (unless OUTPOST_DEBUG is set). */
export class UsageError extends Error {}

/** A failure the user can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

export function reportFatal(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`outpost: ${message}\n`);
  if (process.env.OUTPOST_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}
