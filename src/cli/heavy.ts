/**
 * The CLI's heavy half: synthesis (cdktn and the provider classes), the config schema, cost, diagram and Terraform.
 * Commands reach it through `heavy()` (heavy-loader.ts) inside `run`, so `backplane --help` and a command's `--help`
 * never load it. In the package it is its own bundle, dist/cli-heavy.js (scripts/bundle.mjs).
 *
 * The modules that call AWS are functions: each loads its AWS SDK client bundles (~1 MB each) only when a command
 * asks for it, so `backplane cost` or `synth` never compiles them.
 */
export { default as builtInExample } from '../../examples/fullstack/backplane.config';
export * as app from '../app';
export * as config from '../config';
export * as cost from '../cost';
export * as diagram from '../diagram';
export * as dnsPreset from '../presets/dns';
export * as terraform from './terraform';

export const doctor = () => require('./doctor') as typeof import('./doctor');
export const image = () => require('./image') as typeof import('./image');
export const snapshot = () => require('../edge/snapshot') as typeof import('../edge/snapshot');
export const stateBucket = () => require('./state-bucket') as typeof import('./state-bucket');
