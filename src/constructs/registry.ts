import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktn/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktn/provider-aws/lib/ecr-repository';
import { Fn } from 'cdktn';
import { ecrDefinition } from '../definitions/ecr';
import { resolveInputs, type ModuleOutputs } from '../modules/module';
import type { EcrInputs } from './generated/ecr';
import { concat, listIf, notEmpty, optionalBlock } from './tokens';

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
      // Rules are evaluated by priority and an image is matched by one rule only; a "tagged" rule needs a prefix
      // or pattern list (ECR User Guide, "Lifecycle policy properties"). Release tags get their own window.
      policy: Fn.jsonencode({
        rules: concat<unknown>(
          [
            {
              rulePriority: 1,
              description: 'Expire untagged images (interrupted or superseded pushes)',
              selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: p.untaggedExpireDays },
              action: { type: 'expire' },
            },
          ],
          listIf(notEmpty(p.releaseTagPrefixes), {
            rulePriority: 2,
            description: 'Keep the last release images (tags by release prefix)',
            selection: {
              tagStatus: 'tagged',
              tagPrefixList: p.releaseTagPrefixes,
              countType: 'imageCountMoreThan',
              countNumber: p.keepLastImages,
            },
            action: { type: 'expire' },
          }),
          [
            {
              rulePriority: 3,
              description: 'Keep the last other tagged images',
              selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: p.keepLastImages },
              action: { type: 'expire' },
            },
          ],
        ),
      }),
    });
    this.outputs = { arn: this.repository.arn, name: this.repository.name, repository_url: this.repository.repositoryUrl };
  }
}
