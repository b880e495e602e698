/**
 * JSON lines to stdout: one object per line, which CloudWatch Logs (awslogs driver) keeps as one
 * event and Logs Insights parses without a pattern.
 */

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  }
  return value;
}

function write(level: Level, msg: string, fields: Fields = {}): void {
  const line: Fields = { time: new Date().toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) line[key] = errorFields(value);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export const log = {
  debug: (msg: string, fields?: Fields) => write('debug', msg, fields),
  info: (msg: string, fields?: Fields) => write('info', msg, fields),
  warn: (msg: string, fields?: Fields) => write('warn', msg, fields),
  error: (msg: string, fields?: Fields) => write('error', msg, fields),
};
