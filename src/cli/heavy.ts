/**
 * The CLI's heavy half: synthesis (cdktn and the provider classes), the config schema, cost, diagram, Terraform and
 * the AWS SDK calls. Commands reach it through `heavy()` (heavy-loader.ts) inside `run`, so `backplane --help` and
 * a command's `--help` never load it. In the package it is its own bundle, dist/cli-heavy.js (scripts/bundle.mjs).
 */
export { default as builtInExample } from '../../examples/fullstack/backplane.config';
export * as app from '../app';
export * as config from '../config';
export * as cost from '../cost';
export * as diagram from '../diagram';
export * as dnsPreset from '../presets/dns';
export * as snapshot from '../edge/snapshot';
export * as doctor from './doctor';
export * as image from './image';
export * as stateBucket from './state-bucket';
export * as terraform from './terraform';
