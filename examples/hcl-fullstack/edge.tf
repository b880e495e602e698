# ---- the existing CloudFront distribution ---------------------------------------------------------
# Your frontend's distribution keeps everything it has (origins, behaviors, aliases, certificate, functions,
# settings) and gets ONE origin (the ALB, through a CloudFront VPC origin) and ONE ordered behavior (/api/*).
# module "cf_origin" renders it from the snapshot file plus those two additions; the import block adopts it.
# After the first apply, Terraform owns the distribution's configuration: static deploys (S3 sync +
# invalidation) keep working, tools that rewrite the distribution must stop (docs/attach-to-existing-cloudfront.md).

# CloudFront's private path into the VPC, to the internal ALB.
resource "aws_cloudfront_vpc_origin" "api" {
  vpc_origin_endpoint_config {
    name                   = local.prefix
    arn                    = module.alb.arn
    http_port              = 80
    https_port             = 443
    origin_protocol_policy = "https-only"
    origin_ssl_protocols {
      items    = ["TLSv1.2"]
      quantity = 1
    }
  }
}

# CloudFront creates CloudFront-VPCOrigins-Service-SG in the VPC with its first VPC origin and sends origin traffic
# from it: the ALB admits that group on 443 (CloudFront Developer Guide, "Restrict access with VPC origins").
data "aws_security_group" "cloudfront_vpc_origins" {
  vpc_id = module.vpc.vpc_id
  filter {
    name   = "group-name"
    values = ["CloudFront-VPCOrigins-Service-SG"]
  }
  depends_on = [aws_cloudfront_vpc_origin.api]
}

resource "aws_vpc_security_group_ingress_rule" "alb_from_cloudfront_vpc_origins" {
  security_group_id            = module.alb.security_group_id
  description                  = "HTTPS from CloudFront VPC origins (CloudFront-VPCOrigins-Service-SG)"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = data.aws_security_group.cloudfront_vpc_origins.id
}

module "cf_origin" {
  source                     = "../../modules/cf-origin"
  distribution_id            = var.distribution_id
  distribution_snapshot_json = file(var.distribution_snapshot_file)
  api_origin_domain_name     = local.origin_name
  vpc_origin_id              = aws_cloudfront_vpc_origin.api.id
  attach                     = var.attach_api
}

# Import blocks live in the root module. The plan refuses to apply if the distribution changed since the
# snapshot (live ETag != snapshot ETag): re-snapshot and review the diff of the file.
import {
  to = module.cf_origin.aws_cloudfront_distribution.this
  id = var.distribution_id
}

output "cloudfront_distribution_domain" {
  description = "The frontend distribution: /api/* now reaches the API through it."
  value       = module.cf_origin.domain_name
}

# ---- removing the backend without deleting the frontend ----------------------------------------
# The distribution carries prevent_destroy, so a plain `terraform destroy` stops at it. To remove the backend:
#   1. Detach: apply with attach_api = false. The distribution is back to the snapshot (origin and behavior gone).
#   2. Release: replace this whole file with the block below (Terraform >= 1.7) and apply. Terraform forgets the
#      distribution (it stays in CloudFront, untouched) and deletes the now unused VPC origin.
#   3. `terraform destroy` removes everything else.
#
# removed {
#   from = module.cf_origin
#   lifecycle {
#     destroy = false
#   }
# }
