/**
 * TerraformWorkspace: applies a Terraform configuration (cdktn's `cdk.tf.json` or plain `*.tf`,
 * local modules included) to the private moto_server with the real terraform binary and the real
 * aws provider: init, validate, plan, apply, a second plan that must show nothing but tolerated
 * differences, destroy. Every phase is timed and logged to `<repo>/.e2e-work/<name>/logs/`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TOLERATED_DIFFERENCES } from '../tolerated-differences';
import { onProcessExit } from './cleanup';
import type { MotoServer } from './moto';
import { E2E_WORK_ROOT } from './paths';
import { formatChanges, judgePlan, type PlanJson, type PlanVerdict, type ToleratedDifference } from './plan-diff';
import { writeMotoOverride, type MotoOverrideFiles } from './provider-override';
import { formatSummary, type PhaseTiming } from './summary';
import { cliConfig, lastLines, runTerraform, terraformEnv, TerraformError, type TerraformRun } from './terraform-cli';
import { prepareWorkTree } from './work-tree';

/** Options of {@link TerraformWorkspace.create}. */
export interface TerraformWorkspaceOptions {
  /** Scenario name; the work dir is `<repo>/.e2e-work/<name>/` (emptied first). */
  readonly name: string;
  /** Directory holding the configuration (`cdk.tf.json` or `*.tf`). */
  readonly sourceDir: string;
  /** The moto_server every aws provider configuration is pointed at. */
  readonly moto: MotoServer;
  /**
   * Input variables, written to `zz_moto_e2e.auto.tfvars.json`.
   * @default {}
   */
  readonly vars?: Readonly<Record<string, unknown>>;
  /**
   * Differences the second plan may show.
   * @default TOLERATED_DIFFERENCES (test/e2e/tolerated-differences.ts)
   */
  readonly tolerated?: readonly ToleratedDifference[];
  /**
   * Timeout of one terraform command.
   * @default 1_200_000 (20 min)
   */
  readonly timeoutMs?: number;
}

/** Options of a plan or apply. */
export interface RunOptions {
  /** Variables for this run only (a `-var-file`, over the workspace's own). */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Expect terraform to fail: return its result instead of throwing, and throw if it succeeds. */
  readonly expectFailure?: boolean;
}

/** A plan's outcome. */
export interface PlanResult extends TerraformRun {
  /** The saved plan file (absent when the plan failed). */
  readonly planFile?: string;
}

/** The second plan's verdict. */
export interface ReplanResult extends PlanVerdict {
  /** True when the plan has no change at all. */
  readonly empty: boolean;
  readonly planFile: string;
}

export class TerraformWorkspace {
  /** Phase timings, in order. */
  readonly phases: PhaseTiming[] = [];
  private appliedResources: string[] = [];
  private destroyedCount?: number;
  private replanResult?: ReplanResult;
  private runs = 0;

  private constructor(
    readonly name: string,
    /** `<repo>/.e2e-work/<name>/` */
    readonly workDir: string,
    /** The copied configuration directory terraform runs in. */
    readonly configDir: string,
    readonly moto: MotoServer,
    readonly override: MotoOverrideFiles,
    private readonly tolerated: readonly ToleratedDifference[],
    private readonly timeoutMs: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Prepare `<repo>/.e2e-work/<name>/`: copy the config (and its local modules), write CLI config, override, vars. */
  static create(options: TerraformWorkspaceOptions): TerraformWorkspace {
    if (!/^[A-Za-z0-9._-]+$/.test(options.name)) {
      throw new Error(`TerraformWorkspace name "${options.name}" is invalid: use letters, digits, ".", "_" or "-"`);
    }
    const workDir = path.join(E2E_WORK_ROOT, options.name);
    lockWorkDir(workDir, options.name);
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(workDir, 'logs'), { recursive: true });
    fs.mkdirSync(path.join(workDir, 'plans'), { recursive: true });
    const tree = prepareWorkTree(options.sourceDir, path.join(workDir, 'tree'));
    const override = writeMotoOverride(tree.configDir, tree.rootScan, {
      endpoint: options.moto.endpoint,
      statePath: path.join(workDir, 'terraform.tfstate'),
    });
    fs.writeFileSync(path.join(tree.configDir, 'zz_moto_e2e.auto.tfvars.json'), `${JSON.stringify(options.vars ?? {}, null, 2)}\n`);
    const cliConfigFile = path.join(workDir, 'terraformrc');
    fs.writeFileSync(cliConfigFile, cliConfig());
    const env = terraformEnv(cliConfigFile, path.join(workDir, 'logs', 'tf-debug.log'));
    return new TerraformWorkspace(
      options.name,
      workDir,
      tree.configDir,
      options.moto,
      override,
      options.tolerated ?? TOLERATED_DIFFERENCES,
      options.timeoutMs ?? 20 * 60 * 1000,
      env,
    );
  }

  private context = (): string =>
    `moto_server ${this.moto.endpoint} is ${this.moto.alive ? 'running' : 'NOT RUNNING'} (log: ${this.moto.logFile})`;

  private async run(
    phase: string,
    args: string[],
    opts: { okExitCodes?: number[]; allowFailure?: boolean; record?: boolean; expectFailure?: boolean } = {},
  ): Promise<TerraformRun> {
    const record = opts.record ?? true;
    const n = String(++this.runs).padStart(2, '0');
    const logFile = path.join(this.workDir, 'logs', `${n}-${phase}.log`);
    try {
      const result = await runTerraform(args, {
        cwd: this.configDir,
        env: this.env,
        logFile,
        timeoutMs: this.timeoutMs,
        context: this.context,
        okExitCodes: opts.okExitCodes,
        allowFailure: opts.allowFailure,
      });
      const ok = (opts.okExitCodes ?? [0]).includes(result.exitCode);
      if (record)
        this.phases.push({ phase, seconds: result.seconds, ok: opts.expectFailure ? !ok : ok, expectedFailure: opts.expectFailure });
      return result;
    } catch (err) {
      if (record && err instanceof TerraformError) this.phases.push({ phase, seconds: err.run.seconds, ok: false });
      throw err;
    }
  }

  private varFile(vars: Readonly<Record<string, unknown>> | undefined): string[] {
    if (!vars) return [];
    const file = path.join(this.workDir, `vars-${this.runs + 1}.tfvars.json`);
    fs.writeFileSync(file, JSON.stringify(vars, null, 2));
    return [`-var-file=${file}`];
  }

  private expectFailed(phase: string, result: TerraformRun): TerraformRun {
    if (result.exitCode === 0) {
      throw new Error(`terraform ${phase} succeeded but was expected to fail; log: ${result.logFile}\n${lastLines(result.output, 20)}`);
    }
    return result;
  }

  /** `terraform init` against the offline mirror. */
  async init(): Promise<TerraformRun> {
    return this.run('init', ['init', '-input=false', '-no-color']);
  }

  /** `terraform validate`. */
  async validate(): Promise<TerraformRun> {
    return this.run('validate', ['validate', '-no-color']);
  }

  /**
   * `terraform plan -out=...`. With `expectFailure`, returns the failed run (its `stderr` holds
   * e.g. a variable validation message) and throws if the plan succeeds.
   */
  async plan(options: RunOptions = {}): Promise<PlanResult> {
    const planFile = path.join(this.workDir, 'plans', `plan-${this.runs + 1}.tfplan`);
    const args = ['plan', '-input=false', '-no-color', `-out=${planFile}`, ...this.varFile(options.vars)];
    if (options.expectFailure) return this.expectFailed('plan', await this.run('plan', args, { allowFailure: true, expectFailure: true }));
    return { ...(await this.run('plan', args)), planFile };
  }

  /** The `stderr` of a plan that must fail (e.g. a variable validation); throws if it succeeds. */
  async planFailure(options: Omit<RunOptions, 'expectFailure'> = {}): Promise<string> {
    return (await this.plan({ ...options, expectFailure: true })).stderr;
  }

  /** The output of a `terraform plan -destroy` that must fail (e.g. prevent_destroy); throws if it succeeds. */
  async planDestroyFailure(): Promise<string> {
    const args = ['plan', '-destroy', '-input=false', '-no-color'];
    return this.expectFailed('plan-destroy', await this.run('plan-destroy', args, { allowFailure: true, expectFailure: true })).output;
  }

  /** `terraform apply` of a saved plan, or `apply -auto-approve` (with `vars`) when none is given. */
  async apply(options: RunOptions & { readonly planFile?: string } = {}): Promise<TerraformRun> {
    const args = options.planFile
      ? ['apply', '-input=false', '-no-color', options.planFile]
      : ['apply', '-input=false', '-no-color', '-auto-approve', ...this.varFile(options.vars)];
    if (options.expectFailure)
      return this.expectFailed('apply', await this.run('apply', args, { allowFailure: true, expectFailure: true }));
    const result = await this.run('apply', args);
    this.appliedResources = await this.resourceAddresses();
    return result;
  }

  /** init + validate + plan + apply. */
  async up(): Promise<void> {
    await this.init();
    await this.validate();
    const plan = await this.plan();
    await this.apply({ planFile: plan.planFile });
  }

  /** `terraform show -json` of a saved plan. */
  async showPlan(planFile: string): Promise<PlanJson> {
    const show = await this.run('show-plan', ['show', '-json', '-no-color', planFile], { record: false });
    return JSON.parse(show.stdout) as PlanJson;
  }

  /**
   * The second plan (`plan -detailed-exitcode`): every change must match a tolerated difference;
   * otherwise throws with a readable list of the unexpected ones.
   */
  async replan(): Promise<ReplanResult> {
    const planFile = path.join(this.workDir, 'plans', 'replan.tfplan');
    const run = await this.run('replan', ['plan', '-input=false', '-no-color', '-detailed-exitcode', `-out=${planFile}`], {
      okExitCodes: [0, 2],
    });
    const show = await this.run('show-replan', ['show', '-json', '-no-color', planFile], { record: false });
    const verdict = judgePlan(JSON.parse(show.stdout) as PlanJson, this.tolerated);
    this.replanResult = { ...verdict, empty: run.exitCode === 0, planFile };
    if (verdict.unexpected.length > 0) {
      throw new Error(
        `second plan of "${this.name}" has ${verdict.unexpected.length} unexpected change(s):\n${formatChanges(verdict.unexpected)}` +
          (verdict.tolerated.length > 0 ? `\ntolerated:\n${formatChanges(verdict.tolerated)}` : '') +
          `\nplan log: ${run.logFile}\n(add an entry to test/e2e/tolerated-differences.ts only for a moto behaviour, with its reason)`,
      );
    }
    return this.replanResult;
  }

  /** `terraform destroy`; throws if anything is left in the state. */
  async destroy(): Promise<TerraformRun> {
    const before = (await this.resourceAddresses()).length;
    const result = await this.run('destroy', ['destroy', '-input=false', '-no-color', '-auto-approve']);
    const left = await this.resourceAddresses();
    if (left.length > 0) throw new Error(`destroy of "${this.name}" left ${left.length} resource(s) in the state: ${left.join(', ')}`);
    this.destroyedCount = before;
    return result;
  }

  /** `terraform output -json`, as name → value. */
  async output<T = Record<string, unknown>>(): Promise<T> {
    const run = await this.run('output', ['output', '-json', '-no-color'], { record: false });
    const raw = JSON.parse(run.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value])) as T;
  }

  /** `terraform show -json` of the state. */
  async state(): Promise<StateJson> {
    const run = await this.run('state', ['show', '-json', '-no-color'], { record: false });
    return JSON.parse(run.stdout) as StateJson;
  }

  /** Addresses of the managed resources in the state, all modules (`terraform state list`: no provider start). */
  async resourceAddresses(): Promise<string[]> {
    const run = await this.run('state-list', ['state', 'list', '-no-color'], { record: false, okExitCodes: [0, 1] });
    if (run.exitCode !== 0) {
      if (/No state file was found/i.test(run.output)) return [];
      throw new Error(`terraform state list failed; log: ${run.logFile}\n${lastLines(run.output, 20)}`);
    }
    return run.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^(module\.[^.]+(\[[^\]]*\])?\.)*data\./.test(l));
  }

  /** The readable end-of-scenario summary. */
  summary(): string {
    return formatSummary({
      name: this.name,
      workDir: this.workDir,
      moto: this.moto,
      redirected: this.override.redirected,
      phases: this.phases,
      appliedResources: this.appliedResources,
      replan: this.replanResult,
      destroyedCount: this.destroyedCount,
    });
  }

  /** Print {@link summary} to stdout. */
  printSummary(): void {
    process.stdout.write(`${this.summary()}\n`);
  }
}

/**
 * One process per work dir: a second run of the same scenario (another terminal, another helper)
 * would empty the work dir under the first one. The lock file holds the owner's pid.
 */
function lockWorkDir(workDir: string, name: string): void {
  const lock = `${workDir}.lock`;
  let owner = 0;
  try {
    owner = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10) || 0;
  } catch {
    // no lock
  }
  if (owner && owner !== process.pid) {
    let alive = true;
    try {
      process.kill(owner, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive)
      throw new Error(`scenario "${name}" is already running in process ${owner} (work dir ${workDir}); wait for it or use another name`);
  }
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  fs.writeFileSync(lock, String(process.pid));
  onProcessExit(() => {
    if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.unlinkSync(lock);
  });
}

/** The part of `terraform show -json` (state) the harness reads. */
export interface StateJson {
  readonly values?: { readonly outputs?: Record<string, { value: unknown }>; readonly root_module?: StateModule };
}

/** A module in `terraform show -json`. */
export interface StateModule {
  readonly address?: string;
  readonly resources?: ReadonlyArray<{ address: string; mode: string; type: string; name: string; values: Record<string, unknown> }>;
  readonly child_modules?: readonly StateModule[];
}
