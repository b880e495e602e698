/**
 * Every generated module: its definition, how to build its construct from module variables, and the usage
 * example its README shows. Adding a module = a definition, a construct, and an entry here.
 */
import type { Construct } from 'constructs';
import { ecrDefinition } from '../definitions/ecr';
import { Registry } from '../constructs/registry';
import { vpcDefinition } from '../definitions/vpc';
import { Network } from '../constructs/network';
import { albDefinition } from '../definitions/alb';
import { LoadBalancer } from '../constructs/load-balancer';
import { ecsServiceDefinition } from '../definitions/ecs-service';
import { Service } from '../constructs/ecs-service';
import type { ModuleDefinition } from './module';

export interface CatalogEntry {
  readonly definition: ModuleDefinition;
  /** Builds the construct with `props` (tokens of the module's variables); returns its outputs. */
  readonly build: (scope: Construct, props: any) => { readonly outputs: Record<string, unknown> };
  /** The README's usage snippet. */
  readonly example: string;
}

export const catalog: CatalogEntry[] = [
  {
    definition: vpcDefinition,
    build: (scope, props) => new Network(scope, 'this', props),
    example: `module "vpc" {
  source   = "../../modules/vpc"
  name     = "shop-dev"
  nat_mode = "instance"
}`,
  },
  {
    definition: albDefinition,
    build: (scope, props) => new LoadBalancer(scope, 'this', props),
    example: `module "alb" {
  source          = "../../modules/alb"
  name            = "shop-dev"
  vpc_id          = module.vpc.vpc_id
  vpc_cidr        = module.vpc.vpc_cidr
  subnet_ids      = module.vpc.public_subnet_ids
  certificate_arn = aws_acm_certificate.origin.arn
}`,
  },
  {
    definition: ecsServiceDefinition,
    build: (scope, props) => new Service(scope, 'this', props),
    example: `module "ecs_service" {
  source     = "../../modules/ecs-service"
  name       = "shop-dev"
  image      = "\${module.ecr.repository_url}@sha256:<digest>"
  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.app_subnet_ids
  secrets    = { DATABASE_PASSWORD = "\${module.rds.master_secret_arn}:password::" }

  target_group_arn                = module.alb.target_group_arn
  load_balancer_security_group_id = module.alb.security_group_id
  depends_on                      = [module.alb]
}`,
  },
  {
    definition: ecrDefinition,
    build: (scope, props) => new Registry(scope, 'this', props),
    example: `module "ecr" {
  source = "../../modules/ecr"
  name   = "shop-api"
}`,
  },
];
