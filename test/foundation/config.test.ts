import { resolveConfig } from '../../src/config';
import { exampleConfig } from '../support/synth';

function refusal(overrides: Parameters<typeof exampleConfig>[0]): string {
  try {
    resolveConfig(exampleConfig(overrides));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('configuration validation', () => {
  it('accepts the built-in example and applies the defaults', () => {
    const c = resolveConfig(exampleConfig());
    expect(c.stage).toBe('dev');
    expect(c.service.cpu).toBe(256);
    expect(c.service.memory).toBe(512);
    expect(c.service.architecture).toBe('arm64');
    expect(c.network.azCount).toBe(2);
  });

  it('refuses a Fargate cpu/memory pair that does not exist, naming both and the allowed memory', () => {
    const msg = refusal({ service: { cpu: 256, memory: 4096 } });
    expect(msg).toContain('service.memory');
    expect(msg).toContain('4096');
    expect(msg).toContain('cpu 256');
    expect(msg).toContain('512, 1024, 2048');
  });

  it('refuses a cpu size Fargate does not offer', () => {
    const msg = refusal({ service: { cpu: 300 } });
    expect(msg).toMatch(/service\.cpu = 300: must be one of the Fargate CPU sizes 256, 512, 1024/);
  });

  it('refuses an AZ count outside 2..3', () => {
    expect(refusal({ network: { azCount: 1 } })).toMatch(/network\.azCount = 1: .*from 2 to 3|at least 2/);
    expect(refusal({ network: { azCount: 4 } })).toMatch(/network\.azCount = 4/);
  });

  it('refuses a malformed or oversized CIDR', () => {
    expect(refusal({ network: { cidr: '10.0.0.0/8' } })).toMatch(
      /network\.cidr = "10\.0\.0\.0\/8": must be an IPv4 network block from \/16 to \/21/,
    );
    expect(refusal({ network: { cidr: '10.0.0.1/16' } })).toMatch(/no host bits/);
    expect(refusal({ network: { cidr: 'banana' } })).toMatch(/network\.cidr = "banana"/);
  });

  it('refuses a domain that is not a lower-case domain name', () => {
    expect(refusal({ domain: 'Example..com' })).toMatch(/domain = "Example\.\.com": must be a lower-case domain name/);
  });

  it('refuses a stage name that cannot name AWS resources, and a name-stage prefix too long for them', () => {
    expect(refusal({ stage: 'Pr_1' })).toMatch(/stage = "Pr_1": must be 1 to 12 lower-case letters, digits or hyphens/);
    expect(refusal({ stage: 'pr-' })).toMatch(/not ending with a hyphen/);
    expect(refusal({ name: 'a-rather-long-appname', stage: 'preview-1234' })).toMatch(
      /"a-rather-long-appname-preview-1234" \(name-stage\) is 34 characters: at most 30/,
    );
  });

  it('accepts any short stage name, e.g. a pull request preview', () => {
    expect(resolveConfig(exampleConfig({ stage: 'pr-123' })).stage).toBe('pr-123');
  });

  it('refuses an unknown NAT mode and lists the modes', () => {
    expect(refusal({ network: { nat: 'cheap' } })).toMatch(/network\.nat = "cheap": must be one of "instance", "gateway", "none"/);
  });

  it('refuses a misspelt setting instead of ignoring it', () => {
    expect(refusal({ service: { cpus: 512 } })).toMatch(
      /service\.cpus: unknown setting \(check the spelling; the settings that exist are in docs\/configuration\.md#service\)/,
    );
  });

  it('requires exactly one image source', () => {
    expect(refusal({ service: { imageDigest: `sha256:${'a'.repeat(64)}` } })).toMatch(/exactly one of imageTag, imageDigest/);
  });

  it('refuses a secret given as a plain value instead of a Secrets Manager ARN', () => {
    expect(refusal({ service: { secrets: { API_KEY: 'hunter2' } } })).not.toContain('hunter2');
    expect(refusal({ service: { secrets: { API_KEY: 'hunter2' } } })).toMatch(
      /service\.secrets\.API_KEY = \(value hidden\): must be a Secrets Manager secret ARN/,
    );
  });

  it('lists every problem at once', () => {
    const msg = refusal({ stage: 'QA', domain: 'nope', network: { nat: 'x' } });
    expect(msg).toMatch(/has 3 problems/);
  });
});
