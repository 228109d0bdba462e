/**
 * The lander's logger: the pino call shape (fields first, then the message), so a Fastify or pino
 * logger can be passed as is.
 */
export interface LanderLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** JSON lines on stderr, for a CLI without a logger of its own; debug is dropped. */
export function createStderrLog(): LanderLog {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) => {
    const { err, ...rest } = fields;
    const error = err instanceof Error ? { err: { message: err.message, name: err.name } } : {};
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...rest, ...error })}\n`);
  };
  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLog: LanderLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
