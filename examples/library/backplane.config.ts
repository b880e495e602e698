/**
 * The config of the library example: a small API on api.example.com (no CloudFront distribution to attach to),
 * no cache (no `cache` section). Everything not set here takes Backplane's defaults (see docs/configuration.md).
 */
import { defineConfig } from 'backplane';

export default defineConfig({
  name: 'ledger',
  stage: 'dev',
  region: 'eu-west-1',
  domain: 'example.com',
  tags: { team: 'payments' },
  service: {
    image: 'public.ecr.aws/docker/library/node:20-alpine',
    command: ['node', 'server.js'],
    healthCheckCommand: ['CMD', 'node', 'healthcheck.js'],
  },
  edge: { mode: 'subdomain' },
});
