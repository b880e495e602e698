/** The real-engine harness: real Terraform + the real aws provider + a private, patched moto_server. */
export { awsClientConfig, awsS3ClientConfig, E2E_REGION, FAKE_CREDENTIALS, type AwsClientConfig } from './aws-client';
export { startMoto, type MotoServer, type StartMotoOptions } from './moto';
export { checkEngine, describeWithEngine, engineIsOptional, requireEngine, type EngineCheck, type EngineInfo } from './preflight';
export { judgePlan, pathCovered, type PlanVerdict, type ToleratedDifference } from './plan-diff';
export { MOTO_ENDPOINT_SERVICES } from './provider-override';
export { TerraformError, type TerraformRun } from './terraform-cli';
export { TerraformWorkspace, type PlanResult, type ReplanResult, type RunOptions, type TerraformWorkspaceOptions } from './workspace';
export { REPO_ROOT, E2E_WORK_ROOT } from './paths';
