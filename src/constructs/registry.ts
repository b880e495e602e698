import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktn/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktn/provider-aws/lib/ecr-repository';
import { Fn } from 'cdktn';
import { ecrDefinition } from '../definitions/ecr';
import { resolveInputs, type ModuleOutputs } from '../modules/module';
import type { EcrInputs } from './generated/ecr';
import { optionalBlock } from './tokens';

/** The service's image repository (module `ecr`). */
export class Registry extends Construct {
  readonly repository: EcrRepository;
  readonly outputs: ModuleOutputs<typeof ecrDefinition>;

  constructor(scope: Construct, id: string, props: EcrInputs) {
    super(scope, id);
    const p: Required<EcrInputs> = resolveInputs(ecrDefinition, props, id);
    this.repository = new EcrRepository(this, 'repository', {
      name: p.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      forceDelete: p.forceDelete,
      encryptionConfiguration: optionalBlock(p.kmsKeyArn, (key) => ({ encryptionType: 'KMS', kmsKey: key }), true),
      tags: p.tags,
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: Fn.jsonencode({
        rules: [
          {
            rulePriority: 1,
            description: 'Keep the last images; expire older ones',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: p.keepLastImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    this.outputs = { arn: this.repository.arn, name: this.repository.name, repository_url: this.repository.repositoryUrl };
  }
}
