/**
 * examples/attach-existing-cloudfront: the production-shaped attach flow its README walks through. The user's
 * snapshot is not committed there (it is theirs to take), so the test writes the fixture distribution under the
 * example's id next to a copy of the config, and synthesizes it as `npm run synth` would.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import example from '../../examples/attach-existing-cloudfront/backplane.config';
import { synthesize } from '../../src/app';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'frontend-distribution.json');
const input = example as BackplaneConfigInput & { edge: { distributionId: string } };

function synthExample(): { json: any; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-attach-example-'));
  const snapshot = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  snapshot.Id = input.edge.distributionId;
  fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(snapshot, null, 2));
  const result = synthesize(input, { outdir: path.join(dir, 'out'), configDir: dir });
  return { json: JSON.parse(fs.readFileSync(path.join(result.stackDir, 'cdk.tf.json'), 'utf8')), dir };
}

describe('examples/attach-existing-cloudfront', () => {
  let json: any;
  let dir: string;
  beforeAll(() => ({ json, dir } = synthExample()));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is a valid prod config: S3 state, pinned digest, multi-AZ database', () => {
    const c = resolveConfig(input);
    expect(c.stage).toBe('prod');
    expect(c.state).toMatchObject({ backend: 's3', bucket: 'shop-terraform-state-123456789012' });
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'shop-terraform-state-123456789012', use_lockfile: true, encrypt: true });
    expect(c.database).toMatchObject({ multiAz: true, instanceClass: 'db.t4g.small' });
    // container_definitions is a jsonencode() expression (the image is resolved at plan time): look for the digest in it.
    const definitions = Object.values(json.resource.aws_ecs_task_definition as Record<string, any>).map((t) => t.container_definitions);
    expect(definitions.some((d) => d.includes('@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945'))).toBe(true);
  });

  it('adopts the distribution of the config with an import block and protects it', () => {
    const [name, distribution] = Object.entries(json.resource.aws_cloudfront_distribution as Record<string, any>)[0]!;
    expect(json.import).toEqual([{ id: 'E2QWRUHAPOMQZL', to: `aws_cloudfront_distribution.${name}` }]);
    expect(distribution.lifecycle.prevent_destroy).toBe(true);
  });

  it('reaches the internal ALB through a CloudFront VPC origin, tasks in private subnets behind the NAT instance', () => {
    expect(Object.values(json.resource.aws_lb as Record<string, any>)[0].internal).toBe(true);
    expect(Object.keys(json.resource.aws_cloudfront_vpc_origin ?? {})).toHaveLength(1);
    expect(Object.keys(json.resource.aws_instance ?? {})).toHaveLength(1);
  });

  it('protects the stateful resources on prod', () => {
    const db = Object.values(json.resource.aws_db_instance as Record<string, any>)[0];
    expect(db).toMatchObject({ deletion_protection: true, multi_az: true, storage_encrypted: true, skip_final_snapshot: false });
    expect(db.lifecycle.prevent_destroy).toBe(true);
  });
});
