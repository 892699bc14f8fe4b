// The log of the deploy steps: info and warning lines (the CLI writes them to the CodeBuild log). The
// shape is the `info`/`warn` part of the log port of @mlops-templates/metrics, so a seed can pass
// either.

/** Messages only, no error level (errors are thrown and reported by the command runner). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
}
