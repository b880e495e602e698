/**
 * What a valid config may still not do, decided on the whole resolved config (the schema checks each field alone):
 * a Region AWS does not have, a movable image tag on a protected stage, and secrets in plain environment variables.
 * Each problem is one line naming the setting and the fix; a value that may be a secret is never printed.
 */
import { looksLikeSecretValue } from './errors';
import { PROTECTED_STAGES } from './common';
import { previewOf } from './preview-plan';
import { AWS_REGIONS, closestRegion } from './regions';
import type { BackplaneConfig } from './schema';

/** Environment variable names that announce a secret (the value then belongs in Secrets Manager). */
export const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|^KEY$|PRIVATE_KEY|CREDENTIALS?$/;

function regionProblems(config: BackplaneConfig): string[] {
  if ((AWS_REGIONS as readonly string[]).includes(config.region)) return [];
  const near = closestRegion(config.region);
  return [
    `region = "${config.region}": not an AWS Region${near ? `; did you mean "${near}"?` : ''} (Regions: ${AWS_REGIONS.slice(0, 4).join(', ')}, ... — the list is in src/config/regions.ts)`,
  ];
}

function imageProblems(config: BackplaneConfig, protectedStage: boolean): string[] {
  if (!protectedStage) return [];
  const s = config.service;
  const pin =
    'a tag can be moved to other code after review; pin the image by digest: set service.imageDigest to the sha256:... that `backplane image push` prints (or service.image to name@sha256:...)';
  if (s.imageTag !== undefined)
    return [`service.imageTag = "${s.imageTag}": stage "${config.stage}" is protected, so ${pin}, and remove service.imageTag`];
  if (s.image !== undefined && !s.image.includes('@sha256:'))
    return [`service.image = "${s.image}": stage "${config.stage}" is protected, so ${pin}`];
  return [];
}

function environmentProblems(config: BackplaneConfig): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(config.service.environment)) {
    const byName = SECRET_NAME.test(name);
    if (!byName && !looksLikeSecretValue(value)) continue;
    out.push(
      `service.environment.${name} looks like a secret (by its ${byName ? 'name' : 'value, a known credential format'}; value not shown): a plain environment variable is readable in the task definition, the console and the Terraform state. Store it in Secrets Manager and reference it instead: service.secrets: { ${name}: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" }` +
        (byName ? ` (if it is not a secret, e.g. a publishable key, rename the variable)` : ''),
    );
  }
  return out;
}

/**
 * A protected stage's state holds secrets the aws provider cannot keep out of it (the cache auth token, the origin
 * header value): a plain local file on one machine is neither encrypted, shared, locked nor backed up.
 */
function stateProblems(config: BackplaneConfig, protectedStage: boolean): string[] {
  if (!protectedStage || config.state.backend !== 'local') return [];
  return [
    `state.backend = "local": stage "${config.stage}" is protected, and its state holds secrets (the cache auth token, the origin header) in a plain file on one machine: use S3 — \`backplane init --backend s3\` creates an encrypted, versioned bucket and sets state: { backend: 's3', bucket, region } — or state: { backend: 'cloud', organization, workspace }`,
  ];
}

/** Tasks with public IPs (nat "none") face the internet directly (AWS FSBP ECS.2): not on a protected stage. */
function networkProblems(config: BackplaneConfig, protectedStage: boolean): string[] {
  if (!protectedStage || config.network.nat !== 'none') return [];
  return [
    `network.nat = "none": stage "${config.stage}" is protected, and "none" runs tasks in public subnets with public IPs (AWS Foundational Security Best Practices ECS.2): remove network.nat (a protected stage defaults to a NAT Gateway per AZ) or set nat: 'instance' (cheaper, one AZ)`,
  ];
}

/**
 * A preview is torn down with its pull request: nothing in it may be protected from that. And its migrations log in
 * with the parent's master credentials (docs/preview-stages.md): a protected parent (prod) is never shared.
 */
function previewProblems(config: BackplaneConfig, protectedStage: boolean): string[] {
  const parent = config.preview?.parent;
  if (parent !== undefined && PROTECTED_STAGES.includes(parent))
    return [
      `preview.parent = "${parent}": a preview's migrations log in with its parent's master credentials, so pull-request code would reach the ${parent} databases; share a stage whose data is disposable, e.g. preview: { parent: 'dev' }`,
    ];
  const preview = previewOf(config);
  if (!preview || !protectedStage) return [];
  return [
    `protect = true: stage "${config.stage}" is a preview of "${preview.parent}" (preview.stagePrefix "${config.preview?.stagePrefix}") and shares its resources; a preview holds nothing to protect and must stay destroyable: remove protect, or deploy it under a stage name that does not start with "${config.preview?.stagePrefix}"`,
  ];
}

/** The problems of a schema-valid config (empty when none). */
export function policyProblems(config: BackplaneConfig, protectedStage: boolean): string[] {
  return [
    ...regionProblems(config),
    ...imageProblems(config, protectedStage),
    ...stateProblems(config, protectedStage),
    ...networkProblems(config, protectedStage),
    ...environmentProblems(config),
    ...previewProblems(config, protectedStage),
  ];
}
