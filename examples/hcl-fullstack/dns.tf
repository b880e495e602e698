# ---- the origin certificate ----------------------------------------------------------------------
# A regional certificate for origin-api.<domain>, on the ALB's HTTPS listener. DNS validation: its records go
# through module "dns_validation", and the ALB gets the ARN only once ACM has issued it.

resource "aws_acm_certificate" "origin" {
  domain_name       = local.origin_name
  validation_method = "DNS"
  key_algorithm     = "EC_prime256v1"
  lifecycle {
    create_before_destroy = true
  }
}

# Kept apart from module "dns" below: the validation must not wait for records that need the ALB.
module "dns_validation" {
  source       = "../../modules/dns-external"
  dns_provider = var.dns_provider
  zone_id      = var.dns_zone_id
  records = [
    for o in aws_acm_certificate.origin.domain_validation_options : {
      key     = o.domain_name
      name    = o.resource_record_name
      type    = o.resource_record_type
      values  = [o.resource_record_value]
      purpose = "ACM validation of ${o.domain_name}"
    }
  ]
}

# Waits (up to 75 minutes) until ACM has issued the certificate. With manual DNS, create the validation record
# first: `terraform apply -target=module.dns_validation`, then `terraform output -raw dns_validation_records_table`.
resource "aws_acm_certificate_validation" "origin" {
  certificate_arn = aws_acm_certificate.origin.arn
  depends_on      = [module.dns_validation]
}

# ---- every other record --------------------------------------------------------------------------
# origin-api.<domain> -> the ALB, and SES's 3 DKIM CNAMEs, MAIL FROM MX + SPF and DMARC.

module "dns" {
  source       = "../../modules/dns-external"
  dns_provider = var.dns_provider
  zone_id      = var.dns_zone_id
  records = concat(module.ses.dns_records, [{
    key           = "origin_api"
    name          = local.origin_name
    type          = "ALIAS" # an alias A record on Route53, a CNAME elsewhere
    values        = [module.alb.dns_name]
    alias_zone_id = module.alb.zone_id
    purpose       = "${local.origin_name} -> the API load balancer (CloudFront's origin)"
  }])
}

# ---- dns_provider = "cloudflare" -----------------------------------------------------------------
# The dns-external module never requires the cloudflare provider: with "cloudflare" it creates nothing and
# returns the exact arguments of each record. Creating them needs the cloudflare/cloudflare provider, which
# this example leaves out so that `terraform init` works with hashicorp/aws alone (offline mirrors, CI).
# To use Cloudflare: add `cloudflare = { source = "cloudflare/cloudflare", version = "~> 5.14" }` to
# required_providers in versions.tf, export CLOUDFLARE_API_TOKEN (Zone / DNS / Edit), set dns_provider and
# dns_zone_id, and uncomment:
#
# resource "cloudflare_dns_record" "validation" {
#   for_each = module.dns_validation.cloudflare_records
#   zone_id  = each.value.zone_id
#   name     = each.value.name
#   type     = each.value.type
#   content  = each.value.content
#   ttl      = each.value.ttl
#   comment  = each.value.comment
#   proxied  = false
# }
#
# resource "cloudflare_dns_record" "records" {
#   for_each = module.dns.cloudflare_records
#   zone_id  = each.value.zone_id
#   name     = each.value.name
#   type     = each.value.type
#   content  = each.value.content
#   priority = each.value.priority
#   ttl      = each.value.ttl
#   comment  = each.value.comment
#   proxied  = false # DNS only: CloudFront is the CDN
# }
#
# and add cloudflare_dns_record.validation to the depends_on of aws_acm_certificate_validation.origin.
