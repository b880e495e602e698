/**
 * Copies a Terraform configuration into the work dir so relative module sources keep working:
 * the config dir and every local module it reaches (transitively, e.g. `../../modules/network`)
 * are copied under `<work>/tree/`, at their paths relative to their common ancestor. Terraform then
 * runs in the copied config dir and `../../modules/network` resolves to the copied module.
 */
import * as fs from 'fs';
import * as path from 'path';
import { hclBlocks, scanConfigDir, type ConfigScan } from './config-scan';

/** What {@link prepareWorkTree} produced. */
export interface WorkTree {
  /** The copied configuration directory, where terraform runs. */
  readonly configDir: string;
  /** The scan of the ROOT configuration (providers, backend, modules). */
  readonly rootScan: ConfigScan;
  /** Absolute source paths of the copied local modules (not including the root). */
  readonly moduleDirs: readonly string[];
}

/** Never copied: local state, caches, lock files made for another machine's mirror. */
const SKIP = [/^\.terraform$/, /^\.terraform\.lock\.hcl$/, /\.tfstate(\..*)?$/, /^\.git$/, /^node_modules$/, /^\.e2e-work$/];

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.some((re) => re.test(entry.name))) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst);
    else if (entry.isFile()) fs.copyFileSync(src, dst);
    else if (entry.isSymbolicLink()) {
      const real = fs.realpathSync(src);
      if (fs.statSync(real).isDirectory()) copyDir(real, dst);
      else fs.copyFileSync(real, dst);
    }
  }
}

function commonAncestor(dirs: readonly string[]): string {
  let common = dirs[0].split(path.sep);
  for (const dir of dirs.slice(1)) {
    const parts = dir.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}

/**
 * A module that declares its own `provider "aws"` block would bypass the override (override files
 * apply to the root module only) and talk to real AWS endpoints: refuse it.
 */
function assertNoModuleProviders(dir: string): void {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (hclBlocks(text).some((b) => b.type === 'provider' && b.labels[0] === 'aws')) {
      throw new Error(
        `module ${path.join(dir, file)} declares its own provider "aws" block; the harness can only point ` +
          'root-module providers at moto. Pass providers to the module with `providers = { ... }` instead.',
      );
    }
  }
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tf.json'))) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { provider?: { aws?: unknown } };
    if (doc.provider?.aws) throw new Error(`module ${path.join(dir, file)} declares its own provider "aws" configuration`);
  }
}

/** Copy `sourceDir` and the local modules it reaches into `<treeRoot>`; returns where to run terraform. */
export function prepareWorkTree(sourceDir: string, treeRoot: string): WorkTree {
  const root = fs.realpathSync(path.resolve(sourceDir));
  const rootScan = scanConfigDir(root);
  if (rootScan.files.length === 0) throw new Error(`no *.tf or *.tf.json files in ${root}`);

  const seen = new Set<string>([root]);
  const queue: Array<{ dir: string; scan: ConfigScan }> = [{ dir: root, scan: rootScan }];
  while (queue.length > 0) {
    const { dir, scan } = queue.shift() as { dir: string; scan: ConfigScan };
    for (const source of scan.localModuleSources) {
      const moduleDir = path.resolve(dir, source);
      if (!fs.existsSync(moduleDir)) throw new Error(`module source ${source} in ${dir} does not exist (${moduleDir})`);
      const real = fs.realpathSync(moduleDir);
      if (seen.has(real)) continue;
      seen.add(real);
      assertNoModuleProviders(real);
      queue.push({ dir: real, scan: scanConfigDir(real) });
    }
  }

  const dirs = [...seen];
  const ancestor = commonAncestor(dirs);
  fs.rmSync(treeRoot, { recursive: true, force: true });
  for (const dir of dirs) copyDir(dir, path.join(treeRoot, path.relative(ancestor, dir)));
  return {
    configDir: path.join(treeRoot, path.relative(ancestor, root)),
    rootScan,
    moduleDirs: dirs.filter((d) => d !== root),
  };
}
