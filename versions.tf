# The Terraform and provider versions every Backplane module and the synthesized stacks accept.
# Terraform >= 1.11: ephemeral resources and write-only arguments keep generated secrets out of state.
# hashicorp/aws >= 5.100, < 7: only arguments both provider majors know are used.
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7"
    }
  }
}
