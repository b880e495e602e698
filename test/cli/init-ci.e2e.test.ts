/**
 * The OIDC bootstrap `backplane init --ci github` writes (ci/github-oidc/main.tf), under the real terraform and aws
 * provider against a private moto: it validates, applies (the OIDC provider and both roles), re-plans empty, and IAM
 * holds trust policies restricted to the repository and its branch / its pull requests. Then it is destroyed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetRoleCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { oidcTerraform } from '../../src/cli/ci/github';
import { awsClientConfig, describeWithEngine, startMoto, TerraformWorkspace, type MotoServer } from '../e2e/lib';

jest.setTimeout(10 * 60_000);

describeWithEngine('the GitHub OIDC bootstrap under terraform', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 'github-oidc-'));

  beforeAll(async () => {
    fs.writeFileSync(
      path.join(source, 'main.tf'),
      oidcTerraform({
        name: 'shop',
        region: 'us-east-1',
        repository: 'acme/shop',
        branch: 'main',
        stage: 'dev',
        stateBucket: 'shop-tfstate-1',
      }),
    );
    moto = await startMoto();
    ws = TerraformWorkspace.create({ name: 'github-oidc', sourceDir: source, moto });
  });
  afterAll(async () => {
    ws?.printSummary();
    await moto?.stop();
    fs.rmSync(source, { recursive: true, force: true });
  });

  it('validates, applies, re-plans empty; the roles trust only the repository on its branch / its pull requests', async () => {
    await ws.init();
    await ws.validate();
    await ws.apply();
    expect((await ws.replan()).empty).toBe(true);
    const iam = new IAMClient(awsClientConfig(moto));
    const providers = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
    expect(providers.map((p) => p.Arn)).toEqual([expect.stringMatching(/:oidc-provider\/token\.actions\.githubusercontent\.com$/)]);
    const trust = async (role: string) => {
      const doc = (await iam.send(new GetRoleCommand({ RoleName: role }))).Role?.AssumeRolePolicyDocument as string;
      return JSON.parse(decodeURIComponent(doc)).Statement;
    };
    for (const [role, sub] of [
      ['shop-github-deploy', 'repo:acme/shop:ref:refs/heads/main'],
      ['shop-github-pr', 'repo:acme/shop:pull_request'],
    ]) {
      const statements = await trust(role);
      expect(statements).toHaveLength(1);
      expect(statements[0].Principal.Federated).toBe(providers[0].Arn);
      expect(statements[0].Condition.StringEquals).toEqual({
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': sub,
      });
    }
    const outputs = await ws.output<{ deploy_role_arn: string; pr_role_arn: string }>();
    expect(outputs.deploy_role_arn).toMatch(/:role\/shop-github-deploy$/);
    expect(outputs.pr_role_arn).toMatch(/:role\/shop-github-pr$/);
    await ws.destroy();
  });
});
