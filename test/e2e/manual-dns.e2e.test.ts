/**
 * The first deploy with DNS records the user creates by hand (dns.provider "manual", the built-in example's mode), on
 * the real engine against an emulator whose ACM takes 240 s to validate a certificate (MOTO_ACM_VALIDATION_WAIT, as
 * AWS takes until the CNAME resolves). In one apply this is a deadlock on AWS: the apply waits for a validation
 * record nobody has been shown. `backplane deploy` runs in two steps instead: the certificate, email identity and load
 * balancer first; then every record, printed before the wait; then the wait with a progress line; then the rest.
 * Stopped during the wait (here: a 5 s --dns-wait), it resumes where it stopped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, motoClients, motoTerraformEnv } from '../cli/support/cli';
import { describeWithEngine, E2E_WORK_ROOT, startMoto, type MotoServer } from './lib';

const ACM_WAIT_SECONDS = 240;

describeWithEngine('manual DNS: the two-step first deploy on the real engine (Terraform + aws provider + moto)', () => {
  let moto: MotoServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const backplane = (argv: string[]) =>
    cli([...argv, '--config', path.join(dir, 'backplane.config.json')], { cwd: dir, env, deps: { aws: motoClients(moto.endpoint) } });

  beforeAll(async () => {
    moto = await startMoto({ env: { MOTO_ACM_VALIDATION_WAIT: String(ACM_WAIT_SECONDS) } });
    dir = path.join(E2E_WORK_ROOT, `manual-dns-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'backplane.config.json'),
      JSON.stringify({
        name: 'mail',
        domain: 'example.com',
        network: { nat: 'none' },
        service: { imageTag: 'v1' },
        edge: { mode: 'subdomain' },
        dns: { provider: 'manual' },
        email: {},
        alarms: { enabled: false },
      }),
    );
    env = { ...motoTerraformEnv(dir, moto.endpoint), BACKPLANE_DNS_POLL_MS: '1000' };
  });

  afterAll(async () => {
    try {
      if (fs.existsSync(path.join(dir, 'terraform.mail-dev.tfstate'))) await backplane(['destroy', '--yes']);
    } finally {
      await moto?.stop();
    }
  });

  it('`backplane dns` before the first deploy: the records exist, their values are not known yet, and it says so', async () => {
    const r = await backplane(['dns', '--json']);
    if (r.code !== 0) throw new Error(r.stderr);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'manual', complete: false });
  });

  let firstRecords = '';
  it('step 1, then every record printed BEFORE the wait, which stops at --dns-wait with how to resume', async () => {
    const r = await backplane(['deploy', '--yes', '--dns-wait', '5s']);
    // (ACM_WAIT_SECONDS is longer than step 1 takes on a busy machine, so the certificate is still pending here.)
    expect({ code: r.code, stderr: r.code === 1 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 1, stderr: '' });
    const err = r.stderr;
    const at = (text: string) => err.indexOf(text);
    expect(at('Step 1 of 2')).toBeGreaterThanOrEqual(0);
    expect(at('Create these DNS records')).toBeGreaterThan(at('Step 1 of 2'));
    expect(at('waiting for ACM to validate api.example.com (PENDING_VALIDATION')).toBeGreaterThan(at('Create these DNS records'));
    firstRecords = err.slice(at('Create these DNS records'), at('waiting for ACM'));
    // Every record, with its value: ACM's validation CNAME, SES's three DKIM CNAMEs, MAIL FROM MX + SPF, DMARC, the API.
    expect(firstRecords).toMatch(/CNAME\s+_\w+\.api\.example\.com\s+_\w+\.\S+\s+# ACM validation/);
    expect(firstRecords.match(/CNAME\s+\S+\._domainkey\.example\.com\s+\S+\.dkim\.amazonses\.com/g)).toHaveLength(3);
    expect(firstRecords).toMatch(/MX\s+mail\.example\.com\s+10 feedback-smtp\.us-east-1\.amazonses\.com/);
    expect(firstRecords).toMatch(/TXT\s+mail\.example\.com\s+"v=spf1 include:amazonses\.com ~all"/);
    expect(firstRecords).toMatch(/TXT\s+_dmarc\.example\.com\s+"v=DMARC1;/);
    expect(firstRecords).toMatch(/CNAME\s+api\.example\.com\s+mail-dev-\S+\.elb\.amazonaws\.com/);
    expect(firstRecords).not.toContain('known once the deploy');
    expect(err).toMatch(/check it yourself: dig \+short CNAME _\w+\.api\.example\.com/);
    expect(err).toMatch(/not validated after 5s: create the records above .* run `backplane deploy` again \(it resumes here/);
    expect(err).not.toContain('Step 2 of 2');
  });

  it('`backplane dns` after step 1 prints the same records, every value known', async () => {
    const r = await backplane(['dns']);
    if (r.code !== 0) throw new Error(r.stderr);
    expect(r.stdout).not.toContain('Some values are known only');
    for (const line of firstRecords.split('\n').filter((l) => l.startsWith('  '))) expect(r.stdout).toContain(line.trim());
  });

  it('deploy again: resumes at the wait (no step 1), reports the certificate issued, then applies the rest', async () => {
    const r = await backplane(['deploy', '--yes', '--json']);
    if (r.code !== 0) throw new Error(r.stderr.slice(-3000));
    expect(r.stderr).toContain('Resuming: the certificate exists');
    expect(r.stderr).not.toContain('Step 1 of 2');
    expect(r.stderr).toMatch(/certificate for api\.example\.com issued \(after (\d+m)?\d+s\)/);
    expect(r.stderr.indexOf('Step 2 of 2')).toBeGreaterThan(r.stderr.indexOf('issued'));
    const out = JSON.parse(r.stdout);
    expect(out.applied).toBe(true);
    expect(out.dnsRecords.map((d: { type: string }) => d.type).sort()).toEqual([
      'CNAME',
      'CNAME',
      'CNAME',
      'CNAME',
      'CNAME',
      'MX',
      'TXT',
      'TXT',
    ]);
    expect(out.outputs.ecs_service_name).toBe('mail-dev');
  });

  it('a later deploy is one step: nothing left to validate, nothing to change', async () => {
    const r = await backplane(['deploy', '--yes']);
    if (r.code !== 0) throw new Error(r.stderr.slice(-3000));
    expect(r.stdout).toContain('No changes');
    expect(r.stderr).not.toContain('two steps');
  });
});
