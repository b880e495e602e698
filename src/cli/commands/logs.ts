import { setTimeout as sleep } from 'timers/promises';
import { CONFIG_FLAGS, JSON_FLAG, flag, loadResolved, type Command } from '../command';
import { parseSince, selectSources, type LogSource } from '../log-sources';

type Logs = typeof import('@aws-sdk/client-cloudwatch-logs');
type LogsClient = InstanceType<Logs['CloudWatchLogsClient']>;

export interface LogLine {
  readonly time: string;
  readonly source: string;
  readonly stream: string;
  readonly message: string;
}

interface Fetch {
  readonly logs: Logs;
  readonly client: LogsClient;
  readonly sources: readonly LogSource[];
  readonly filter?: string;
}

export const logsCommand: Command = {
  name: 'logs',
  summary: "the stack's logs (API, workers, jobs, migrations), interleaved by time; --follow to keep reading",
  usage: 'logs [--follow] [--since 10m] [--filter TEXT] [--source api|worker[:QUEUE]|cron[:NAME]|migrate] [--json]',
  description:
    'CloudWatch Logs FilterLogEvents over the log groups of <name>-<stage> (the API and migration task in /ecs/<name>-<stage>,\n' +
    'worker services in /ecs/<name>-<stage>-<queue>, Lambda workers and jobs in /aws/lambda/...), merged by timestamp.\n' +
    '--follow polls every 2 s (BACKPLANE_LOGS_POLL_MS) for new events until Ctrl-C. CloudWatch Live Tail\n' +
    '(StartLiveTail) is not used: it streams over an HTTP/2 event stream that would add a second code path for the same lines.',
  flags: [
    ...CONFIG_FLAGS,
    { name: 'follow', alias: 'f', type: 'boolean', description: 'keep printing new events (Ctrl-C to stop)' },
    { name: 'since', type: 'string', value: '<10m|2h|1d|date>', description: 'start this long ago or at this date (default: 10m)' },
    { name: 'filter', type: 'string', value: '<text>', description: 'only events containing this text' },
    { name: 'source', type: 'string', value: '<source>', description: 'one part of the stack: api, worker[:QUEUE], cron[:NAME], migrate' },
    JSON_FLAG,
  ],
  async run(args, ctx) {
    const { config } = loadResolved(args, ctx);
    const sources = selectSources(config, flag.string(args, 'source'));
    let since = parseSince(flag.string(args, 'since') ?? '10m', ctx.deps.now());
    const logs: Logs = await import('@aws-sdk/client-cloudwatch-logs');
    const f: Fetch = {
      logs,
      client: new logs.CloudWatchLogsClient(ctx.deps.aws.clientConfig(config.region)),
      sources,
      filter: flag.string(args, 'filter'),
    };
    const seen = new Set<string>();
    const print = (lines: readonly (LogLine & { id: string })[]) => {
      for (const l of lines) {
        if (seen.has(l.id)) continue;
        seen.add(l.id);
        const { id: _id, ...line } = l;
        ctx.io.out(args.flags.json === true ? JSON.stringify(line) : `${line.time} ${line.source} ${line.message}`);
      }
    };
    let lines = await fetchAll(f, since);
    print(lines);
    if (args.flags.follow !== true) return 0;
    const pollMs = Number(ctx.io.env.BACKPLANE_LOGS_POLL_MS) || 2000;
    const maxPolls = Number(ctx.io.env.BACKPLANE_LOGS_MAX_POLLS) || Infinity; // tests stop a follow after N polls
    for (let poll = 0; poll < maxPolls; poll++) {
      await sleep(pollMs);
      // From the newest event seen (events with that same millisecond are skipped by id).
      if (lines.length) since = Date.parse(lines[lines.length - 1].time) - 5000; // late-ingested events; seen ids skip repeats
      lines = await fetchAll(f, since);
      print(lines);
    }
    return 0;
  },
};

/** Every source's events from `since`, merged by timestamp (a missing group is a source not deployed yet). */
async function fetchAll(f: Fetch, since: number): Promise<(LogLine & { id: string })[]> {
  const perSource = await Promise.all(f.sources.map((s) => fetchSource(f, s, since)));
  return perSource.flat().sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

async function fetchSource(f: Fetch, source: LogSource, since: number): Promise<(LogLine & { id: string })[]> {
  const out: (LogLine & { id: string })[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await f.client.send(
        new f.logs.FilterLogEventsCommand({
          logGroupName: source.group,
          logStreamNamePrefix: source.streamPrefix,
          startTime: since,
          filterPattern: f.filter ? JSON.stringify(f.filter) : undefined, // a quoted term: the exact text
          nextToken,
        }),
      );
      for (const e of page.events ?? []) {
        out.push({
          id: e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.message}`,
          time: new Date(e.timestamp ?? 0).toISOString(),
          source: source.label,
          stream: e.logStreamName ?? '',
          message: (e.message ?? '').replace(/\n$/, ''),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return out;
    throw err;
  }
  return out;
}
