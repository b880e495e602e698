/** The Terraform and provider versions every module and synthesized stack accepts (also in ./versions.tf). */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100, < 7';
/** Ephemeral resources and write-only arguments (generated secrets never in state) need Terraform >= 1.11. */
export const TERRAFORM_CONSTRAINT = '>= 1.11';
