/**
 * Backplane's public API (`import ... from 'backplane'`): the config, the stack for your own cdktn app, the preset,
 * and every construct behind the generated modules, each with its props type (the module's inputs).
 */
export { defineConfig, resolveConfig, ConfigError, type BackplaneConfig, type BackplaneConfigInput } from './config';
export { buildApp, synthesize, countResources, type BackplaneApp, type SynthOptions, type SynthResult } from './app';
export { BackplaneStack, TARGET_VERSIONS, assertCdktnTree, stateKey, type BackplaneStackOptions } from './stack/backplane-stack';
export { FullstackBackend, type FullstackBackendOptions } from './presets/fullstack';
export { PreviewBackend, type PreviewBackendOptions } from './presets/preview';
export { ParentStage } from './presets/parent-stage';
export type { PreviewConfig } from './config/preview';
export { previewOf, type PreviewPlan } from './config/preview-plan';
export { NamedStack } from './constructs/naming';

export { Network, type NetworkFlowLogs } from './constructs/network';
export type { VpcInputs as NetworkProps } from './constructs/generated/vpc';
export { LoadBalancer, type LoadBalancerProps } from './constructs/load-balancer';
export { Service } from './constructs/ecs-service';
export type { EcsServiceInputs as ServiceProps } from './constructs/generated/ecs-service';
export { Registry } from './constructs/registry';
export type { EcrInputs as RegistryProps } from './constructs/generated/ecr';
export { Database } from './constructs/database';
export type { RdsInputs as DatabaseProps } from './constructs/generated/rds';
export { DatabaseProxy, type DatabaseProxyProps } from './constructs/database-proxy';
export { Cache } from './constructs/cache';
export type { ElasticacheInputs as CacheProps } from './constructs/generated/elasticache';
export { Queue, type QueueProps } from './constructs/queue';
export { Email, type EmailProps } from './constructs/email';
export { Cron, type CronProps } from './constructs/cron';
export { AppSecrets, type AppSecretsProps } from './constructs/app-secrets';
export { Alarms, type AlarmsProps } from './constructs/alarms';
export { Certificate, type CertificateProps } from './constructs/certificate';
export { CloudFrontOrigin, type CloudFrontOriginProps } from './constructs/cf-origin';
export { OriginSecret, type OriginSecretProps } from './constructs/origin-secret';
export { OneOffTask, type OneOffTaskProps } from './constructs/migration-task';
export { BunLambda, type BunLambdaProps, type BunLambdaQueueSource } from './constructs/bun-lambda';
export { BunRuntimeLayer, type BunRuntimeLayerProps } from './constructs/bun-runtime-layer';
export {
  ExternalDns,
  ManualDnsProvider,
  Route53DnsProvider,
  CloudflareDnsProvider,
  type DnsProvider,
  type ManualDnsProviderProps,
  type Route53DnsProviderProps,
  type CloudflareDnsProviderProps,
} from './constructs/dns';
export type { DnsExternalInputs as ExternalDnsProps } from './constructs/generated/dns-external';
export { AwsContext } from './constructs/iam';
