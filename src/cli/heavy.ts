/**
 * The CLI's heavy half: synthesis (cdktn and the provider classes), the config schema, cost, diagram and Terraform.
 * Commands reach it through `heavy()` (heavy-loader.ts) inside `run`, so `backplane --help` and a command's `--help`
 * never load it. In the package it is its own bundle, dist/cli-heavy.js (scripts/bundle.mjs).
 *
 * The modules that call AWS are functions: each loads its AWS SDK client bundles (~1 MB each) only when a command
 * asks for it, so `backplane cost` or `synth` never compiles them.
 */
export { default as builtInExample } from '../../examples/fullstack/backplane.config';
export * as config from '../config';
export * as cost from '../cost';
export * as terraform from './terraform';

// Synthesis (cdktn and the provider classes) loads only for the commands that synthesize: `backplane cost` reads
// the config and prices it without them (esbuild evaluates a required module on its first require).
export const app = () => require('../app') as typeof import('../app');
export const diagram = () => require('../diagram') as typeof import('../diagram');
export const dnsPreset = () => require('../presets/dns') as typeof import('../presets/dns');

export const doctor = () => require('./doctor') as typeof import('./doctor');
export const image = () => require('./image') as typeof import('./image');
export const snapshot = () => require('../edge/snapshot') as typeof import('../edge/snapshot');
export const stateBucket = () => require('./state-bucket') as typeof import('./state-bucket');
