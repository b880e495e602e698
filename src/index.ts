/** Backplane's public API: the config, the preset, and the constructs behind the generated modules. */
export { defineConfig, resolveConfig, ConfigError, type BackplaneConfig, type BackplaneConfigInput } from './config';
export { buildApp, synthesize, countResources, type SynthOptions, type SynthResult } from './app';
export { FullstackBackend } from './presets/fullstack';
export { Network } from './constructs/network';
export { LoadBalancer } from './constructs/load-balancer';
export { Service } from './constructs/ecs-service';
export { Registry } from './constructs/registry';
export { NamedStack } from './constructs/naming';
