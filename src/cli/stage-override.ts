/**
 * `--stage NAME` / BACKPLANE_STAGE: one config file deploys several stages (a preview per pull request). The stage
 * replaces the config's, and so does every state location that names the config's stage, so a preview never writes
 * the state of the stage the file names (which would plan that stage's resources away).
 */
import type { BackplaneConfigInput } from '../config';
import { UserError } from './errors';

type State = { backend?: string; key?: string; workspace?: string } | undefined;

/** `value` with each `separator`-delimited segment equal to `from` replaced by `to`; undefined when there is none. */
function replaceSegment(value: string, from: string, to: string, separator: string): string | undefined {
  const parts = value.split(separator);
  return parts.includes(from) ? parts.map((p) => (p === from ? to : p)).join(separator) : undefined;
}

/** The state settings for `stage`: an explicit S3 key or HCP workspace must name the config's stage to be moved. */
function stateFor(state: State, from: string, to: string): State {
  if (state?.backend === 's3' && state.key) {
    const key = replaceSegment(state.key, from, to, '/');
    if (key === undefined)
      throw new UserError(
        `state.key "${state.key}" does not name the stage "${from}": remove it (default <name>/<stage>/terraform.tfstate) to use --stage`,
      );
    return { ...state, key };
  }
  if (state?.backend === 'cloud' && state.workspace) {
    const workspace = replaceSegment(state.workspace, from, to, '-');
    if (workspace === undefined)
      throw new UserError(`state.workspace "${state.workspace}" does not name the stage "${from}": name it <app>-${from} to use --stage`);
    return { ...state, workspace };
  }
  return state;
}

/** The config input as `stage` deploys it (unchanged when `stage` is undefined or already the config's). */
export function withStage(input: BackplaneConfigInput, stage: string | undefined): BackplaneConfigInput {
  const from = (input as { stage?: string }).stage ?? 'dev';
  if (stage === undefined || stage === from) return input;
  const raw = input as Record<string, unknown>;
  const state = stateFor(raw.state as State, from, stage);
  return { ...input, stage, ...(state === undefined ? {} : { state }) } as BackplaneConfigInput;
}
