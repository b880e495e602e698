/**
 * `npm run modules:build` writes modules/<name>/ and src/constructs/generated/<name>.ts from the module
 * definitions; `npm run modules:check` fails when the committed files differ from a fresh generation.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformOutput, TerraformVariable, Token } from 'cdktn';
import { NamedStack } from '../constructs/naming';
import { catalog, type CatalogEntry } from './catalog';
import { configurationReference } from '../config/reference';
import { moduleReadme, propsInterface } from './docs';
import { moduleFiles } from './hcl';
import type { InputSpec } from './inputs';
import { camelCase } from './module';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The value a construct sees for a module variable, typed as its input's TypeScript type. */
function variableValue(v: TerraformVariable, spec: InputSpec<unknown>): unknown {
  switch (spec.tfType) {
    case 'string':
      return v.stringValue;
    case 'number':
      return v.numberValue;
    case 'bool':
      return v.booleanValue;
    case 'list(string)':
      return v.listValue;
    case 'list(number)':
      return Token.asNumberList(v.value);
    default:
      return v.value;
  }
}

/** Synthesizes one module stack as HCL and returns the module's files. */
export async function generateModule(entry: CatalogEntry, outdir: string): Promise<Record<string, string>> {
  // cdktn reads SYNTH_HCL_OUTPUT when a stack is constructed.
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    return await synthModule(entry, outdir);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

async function synthModule(entry: CatalogEntry, outdir: string): Promise<Record<string, string>> {
  const def = entry.definition;
  const app = new App({ outdir, skipValidation: true, hclOutput: true });
  const stack = new NamedStack(app, def.name);
  const props: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.inputs) as [string, InputSpec<unknown>][]) {
    const v = new TerraformVariable(stack, name, { type: spec.tfType, nullable: spec.nullable });
    v.overrideLogicalId(name);
    props[camelCase(name)] = variableValue(v, spec);
  }
  const construct = entry.build(stack, props);
  for (const [name, o] of Object.entries(def.outputs)) {
    const out = new TerraformOutput(stack, `output_${name}`, {
      value: construct.outputs[name],
      description: o.description,
      sensitive: o.sensitive,
    });
    out.overrideLogicalId(name);
  }
  app.synth();
  const hcl = fs.readFileSync(path.join(outdir, 'stacks', def.name, 'cdk.tf'), 'utf8');
  const files: Record<string, string> = { ...(await moduleFiles(def, hcl)) };
  files['README.md'] = moduleReadme(def, entry.example);
  return files;
}

/** Every generated file, keyed by its path relative to the repository root. */
export async function generateAll(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-modules-'));
  try {
    for (const entry of catalog) {
      const name = entry.definition.name;
      const files = await generateModule(entry, path.join(tmp, name));
      for (const [file, text] of Object.entries(files)) out.set(path.join('modules', name, file), text);
      out.set(path.join('src', 'constructs', 'generated', `${name}.ts`), propsInterface(entry.definition));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // The config reference is generated (and checked) with the modules: one definition, every rendering.
  out.set(path.join('docs', 'configuration.md'), configurationReference());
  return out;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generateAll();
  const stale: string[] = [];
  for (const [rel, text] of files) {
    const abs = path.join(repoRoot, rel);
    const current = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(rel);
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (check && stale.length) {
    console.error(`modules:check: ${stale.length} generated file(s) differ from a fresh generation:\n  ${stale.join('\n  ')}\nRun \`npm run modules:build\` and commit the result.`);
    process.exit(1);
  }
  console.log(check ? `modules:check: ${files.size} generated files are up to date.` : `modules:build: ${files.size} files checked.`);
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  });
}
