/**
 * What a preview stage (config `preview`) shares, derived from a config: pure functions with no schema library, so
 * the CLI's light commands load them without zod (src/cli, `backplane --help` start-up budget).
 */
import type { PreviewConfig } from './preview';

/** The lowest and highest listener-rule priorities previews take; the parent's own rule is at PARENT_RULE_PRIORITY. */
export const PREVIEW_PRIORITY_RANGE = [1000, 49_999] as const;
/**
 * The parent's forwarding rule is evaluated last (ALB rule priorities run from 1 to 50,000, lowest first: Elastic
 * Load Balancing User Guide for Application Load Balancers, "Listener rules", Rule priority), so every preview's rule
 * is tried before it.
 */
export const PARENT_RULE_PRIORITY = 50_000;

/** What a preview stage shares, resolved from the config (undefined when the stage is not a preview). */
export interface PreviewPlan {
  readonly parent: string;
  /** `<name>-<parent>`: the prefix of every parent resource name looked up. */
  readonly parentPrefix: string;
  readonly header: string;
  /** This preview's listener-rule priority on the parent's HTTPS listener. */
  readonly priority: number;
  /** `<stage>:`: prepended to every cache key (CACHE_KEY_PREFIX), so previews never read each other's keys. */
  readonly cacheKeyPrefix: string;
  /** The preview's own database on the parent's instance, e.g. `app_pr_123`. */
  readonly databaseName: string;
  /** The preview's own app role there, e.g. `app_runtime_pr_123`. */
  readonly appUsername: string;
}

/** FNV-1a, 32 bits: a stable number from a stage name without digits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

/**
 * A stable, distinct-per-stage listener-rule priority: the stage's trailing number (pr-123 → 1123) while it fits,
 * otherwise a hash of the name, both inside PREVIEW_PRIORITY_RANGE. Two previews on one priority are refused by
 * ELB (PriorityInUse) rather than shadowing each other.
 */
export function previewPriority(stage: string): number {
  const [low, high] = PREVIEW_PRIORITY_RANGE;
  const span = high - low + 1;
  const digits = /(\d+)$/.exec(stage);
  const n = digits ? Number(digits[1]) : fnv1a(stage);
  return low + (n % span);
}

const sqlName = (stage: string) => stage.replace(/-/g, '_');

/** The preview plan of a config's stage, or undefined when the stage is the parent or does not match the prefix. */
export function previewOf(config: {
  name: string;
  stage: string;
  preview?: PreviewConfig;
  database?: { databaseName: string };
}): PreviewPlan | undefined {
  const p = config.preview;
  if (!p || config.stage === p.parent || !config.stage.startsWith(p.stagePrefix)) return undefined;
  return {
    parent: p.parent,
    parentPrefix: `${config.name}-${p.parent}`,
    header: p.header,
    priority: previewPriority(config.stage),
    cacheKeyPrefix: `${config.stage}:`,
    databaseName: `${config.database?.databaseName ?? 'app'}_${sqlName(config.stage)}`,
    appUsername: `app_runtime_${sqlName(config.stage)}`,
  };
}

/** `<name>-<stage>` of the stage that owns the database and cache: the parent's for a preview, the stage's own otherwise. */
export function dataOwnerPrefix(config: Parameters<typeof previewOf>[0]): string {
  return previewOf(config)?.parentPrefix ?? `${config.name}-${config.stage}`;
}
