/**
 * Backplane as a library: a cdktn app that composes the whole backend (`BackplaneStack`) with a resource of your
 * own and one escape-hatch override. `cdktn synth` / `cdktf synth` run it through cdktf.json; in your project,
 * point cdktf.json's "app" at however you run TypeScript (e.g. "npx tsx main.ts").
 */
import { App } from 'cdktn';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { BackplaneStack } from 'backplane';
import config from './backplane.config';

const app = new App();

// Region, tags, the provider constraint, readable resource names and the state backend all come from the config.
const stack = new BackplaneStack(app, config);

// Your own resource, in the same stack and state: it gets the config's region and tags like everything else.
new SqsQueue(stack, 'audit_events', {
  name: `${stack.stackName}-audit-events`,
  sqsManagedSseEnabled: true,
  messageRetentionSeconds: 14 * 24 * 3600,
});

// The escape hatch: any attribute of any resource Backplane generates, here the service's health-check grace period.
stack.backend.service.service.addOverride('health_check_grace_period_seconds', 120);

app.synth();
