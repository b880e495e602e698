/**
 * Hands an SSM session (from ECS ExecuteCommand or SSM StartSession) to AWS's session-manager-plugin, the way the
 * AWS CLI does (awscli/customizations/ecs/executecommand.py and awscli/customizations/sessionmanager.py call
 * `session-manager-plugin <session-json> <region> StartSession <profile> <request-json> <endpoint>`).
 * Light module: no AWS SDK import.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const PLUGIN = 'session-manager-plugin';
export const PLUGIN_INSTALL_URL =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

/** The session ExecuteCommand / StartSession return. */
export interface SsmSession {
  readonly sessionId?: string;
  readonly streamUrl?: string;
  readonly tokenValue?: string;
}

export interface PluginCall {
  readonly session: SsmSession;
  readonly region: string;
  /** The SSM request the session belongs to, e.g. `{ Target: 'ecs:<cluster>_<taskId>_<runtimeId>' }`. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly profile?: string;
  /** The endpoint of the API that made the session (ECS for exec, SSM for a port forward). */
  readonly endpoint: string;
}

/** The plugin's arguments, in the AWS CLI's order; the plugin reads session fields in PascalCase. */
export function pluginArgs(call: PluginCall): string[] {
  const session = { SessionId: call.session.sessionId, StreamUrl: call.session.streamUrl, TokenValue: call.session.tokenValue };
  return [JSON.stringify(session), call.region, 'StartSession', call.profile ?? '', JSON.stringify(call.request), call.endpoint];
}

/** The plugin's path on PATH, or undefined when it is not installed. */
export function findPlugin(env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean))
    for (const ext of exts) {
      const candidate = path.join(dir, PLUGIN + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  return undefined;
}

/** Runs the plugin attached to this terminal (an interactive shell); resolves with its exit code. */
export function runPlugin(plugin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(plugin, [...args], { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Quotes one shell word (POSIX sh). */
export const shellQuote = (word: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
