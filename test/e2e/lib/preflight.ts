/**
 * Preflight: is the real engine here (terraform, the aws provider in the offline mirror, python
 * moto with its server extras)? If not, fail with ONE line saying what is missing and how to get
 * it; skip (loudly) only when BACKPLANE_E2E=optional.
 */
import * as fs from 'fs';
import * as path from 'path';
import execa from 'execa';
import { PYTHON_BIN, TERRAFORM_BIN, TF_PLUGIN_DIR } from './paths';

/** What the preflight found. */
export interface EngineInfo {
  readonly terraformVersion: string;
  /** aws provider versions in the mirror that satisfy ">= 5.100, < 7". */
  readonly providerVersions: readonly string[];
  readonly motoVersion: string;
}

/** Result of {@link checkEngine}. */
export interface EngineCheck {
  readonly ready: boolean;
  /** One entry per missing piece: what is missing and how to get it. */
  readonly missing: readonly string[];
  readonly info?: EngineInfo;
}

const MIN_TERRAFORM: readonly number[] = [1, 11, 0];

function parseVersion(v: string): number[] {
  return v
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map((n) => Number.parseInt(n, 10) || 0);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Terraform's platform name for this machine, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

function checkTerraform(missing: string[]): string | undefined {
  try {
    const { stdout } = execa.sync(TERRAFORM_BIN, ['version', '-json'], {
      env: { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
      timeout: 30_000,
    });
    const version = String(JSON.parse(stdout).terraform_version);
    if (compare(parseVersion(version), MIN_TERRAFORM) < 0) {
      missing.push(`terraform ${version} is too old (need >= 1.11: https://developer.hashicorp.com/terraform/install)`);
    }
    return version;
  } catch {
    missing.push(
      `terraform not found as "${TERRAFORM_BIN}" (install >= 1.11 from https://developer.hashicorp.com/terraform/install or set E2E_TERRAFORM)`,
    );
    return undefined;
  }
}

function checkProvider(missing: string[]): string[] {
  const dir = path.join(TF_PLUGIN_DIR, 'registry.terraform.io', 'hashicorp', 'aws');
  const platform = terraformPlatform();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    // handled below
  }
  const versions = new Set<string>();
  for (const entry of entries) {
    // Unpacked layout: <version>/<platform>/terraform-provider-aws_*; packed: terraform-provider-aws_<v>_<platform>.zip
    const packed = /^terraform-provider-aws_(.+)_([a-z0-9]+_[a-z0-9]+)\.zip$/.exec(entry);
    if (packed && packed[2] === platform) versions.add(packed[1]);
    const platformDir = path.join(dir, entry, platform);
    if (fs.existsSync(platformDir) && fs.readdirSync(platformDir).some((f) => f.startsWith('terraform-provider-aws'))) {
      versions.add(entry);
    }
  }
  const usable = [...versions].filter((v) => {
    const p = parseVersion(v);
    return compare(p, [5, 100, 0]) >= 0 && compare(p, [7, 0, 0]) < 0;
  });
  if (usable.length === 0) {
    missing.push(
      `no hashicorp/aws provider ">= 5.100, < 7" for ${platform} in the mirror ${dir} ` +
        `(create it with: terraform providers mirror -platform=${platform} ${TF_PLUGIN_DIR}, or set E2E_TF_PLUGIN_DIR)`,
    );
  }
  return usable.sort((a, b) => compare(parseVersion(a), parseVersion(b)));
}

function checkMoto(missing: string[]): string | undefined {
  try {
    const { stdout } = execa.sync(PYTHON_BIN, ['-B', '-c', 'import moto, flask, flask_cors, werkzeug; print(moto.__version__)'], {
      timeout: 60_000,
    });
    return stdout.trim();
  } catch {
    missing.push(
      `python moto with its server extras is not importable by "${PYTHON_BIN}" ` +
        `(install with: ${PYTHON_BIN} -m pip install 'moto[server]==5.2.1', or set E2E_PYTHON)`,
    );
    return undefined;
  }
}

let cached: EngineCheck | undefined;

/** Look for terraform, the aws provider mirror and python moto (cached per process). */
export function checkEngine(): EngineCheck {
  if (cached) return cached;
  const missing: string[] = [];
  const terraformVersion = checkTerraform(missing);
  const providerVersions = checkProvider(missing);
  const motoVersion = checkMoto(missing);
  cached =
    missing.length === 0 && terraformVersion && motoVersion
      ? { ready: true, missing, info: { terraformVersion, providerVersions, motoVersion } }
      : { ready: false, missing };
  return cached;
}

/** True when the environment allows skipping the real-engine tests (BACKPLANE_E2E=optional). */
export function engineIsOptional(): boolean {
  return process.env.BACKPLANE_E2E === 'optional';
}

/**
 * The engine, or: throw ONE line naming what is missing; with BACKPLANE_E2E=optional print a loud
 * banner and return undefined instead (the caller skips).
 */
export function requireEngine(): EngineInfo | undefined {
  const check = checkEngine();
  if (check.ready && check.info) return check.info;
  const line = `Real-engine e2e cannot run: ${check.missing.join('; ')}`;
  if (!engineIsOptional()) throw new Error(line);
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!! SKIPPED (BACKPLANE_E2E=optional): ${line}\n${bar}\n\n`);
  return undefined;
}

/**
 * `describe` when the engine is here; otherwise fail the suite with one line, or (only with
 * BACKPLANE_E2E=optional) register it as skipped, which jest reports as skipped, never as passed.
 */
export function describeWithEngine(title: string, body: (engine: EngineInfo) => void): void {
  const engine = requireEngine();
  if (!engine) {
    describe.skip(`${title} [SKIPPED: real engine missing, BACKPLANE_E2E=optional]`, () => {
      it('needs terraform, the aws provider mirror and python moto', () => undefined);
    });
    return;
  }
  describe(title, () => body(engine));
}
