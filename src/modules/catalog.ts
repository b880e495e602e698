/**
 * Every generated module: its definition, how to build its construct from module variables, and the usage
 * example its README shows. Adding a module = a definition, a construct, and an entry here.
 */
import type { Construct } from 'constructs';
import { ecrDefinition } from '../definitions/ecr';
import { Registry } from '../constructs/registry';
import type { ModuleDefinition } from './module';

export interface CatalogEntry {
  readonly definition: ModuleDefinition;
  /** Builds the construct with `props` (tokens of the module's variables); returns its outputs. */
  readonly build: (scope: Construct, props: any) => { readonly outputs: Record<string, string> };
  /** The README's usage snippet. */
  readonly example: string;
}

export const catalog: CatalogEntry[] = [
  {
    definition: ecrDefinition,
    build: (scope, props) => new Registry(scope, 'this', props),
    example: `module "ecr" {
  source = "../../modules/ecr"
  name   = "shop-api"
}`,
  },
];
