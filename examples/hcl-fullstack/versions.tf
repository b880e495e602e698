terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7"
    }
  }

  # Terraform Cloud / HCP Terraform: uncomment to run plans and applies remotely (state stays there,
  # encrypted and access-controlled). The workspace needs AWS credentials as environment variables.
  # cloud {
  #   organization = "my-org"
  #   workspaces {
  #     name = "shop-prod"
  #   }
  # }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { "backplane:app" = var.name, "backplane:stage" = var.stage }
  }
}
