import { App, TerraformElement, TerraformStack } from 'cdktn';
import type { Construct, Node } from 'constructs';

/**
 * A stack whose resources get readable, stable Terraform names from their construct path below the stack
 * (`service/task_definition` -> `service_task_definition`; the ids `this` (modules) and `backplane` (the preset) are left out) instead
 * of cdktn's hashed ids, so plans, `import`/`moved` blocks and the generated modules read like hand-written
 * Terraform and survive refactors of unrelated constructs.
 */
export class NamedStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const index = node.scopes.indexOf(this);
    const parts = node.scopes
      .slice(index + 1)
      .map((c) => c.node.id)
      .filter((id) => id !== 'this' && id !== 'backplane' && id !== 'Default');
    const name = parts
      .join('_')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^a-zA-Z0-9_]/g, '_')
      .toLowerCase();
    const type = (element as { terraformResourceType?: string }).terraformResourceType ?? 'element';
    const key = `${type}.${name}`;
    const other = this.allocated.get(key);
    if (other !== undefined && other !== node.path) {
      throw new Error(`two ${type} would both be named "${name}": ${other} and ${node.path}; give one of them another construct id`);
    }
    this.allocated.set(key, node.path);
    return name || 'this';
  }
}

/**
 * Refuses, in one line, a construct tree built with another copy of the CDK library (HashiCorp's archived `cdktf`,
 * or a second cdktn): its App is not cdktn's, and synthesis would otherwise fail later with a TypeError.
 */
export function assertCdktnTree(scope: Construct, what: string): void {
  const root = scope.node.root;
  if (root instanceof App) return;
  const kind = (root as { constructor?: { name?: string } }).constructor?.name ?? typeof root;
  throw new Error(
    `${what} must be created in a cdktn App, but this tree's root (${kind}) comes from another CDK library (HashiCorp's archived ` +
      `"cdktf"?): use \`import { App } from 'cdktn'\`, or alias it in package.json: "dependencies": { "cdktf": "npm:cdktn@0.24.0" }, then npm install`,
  );
}
