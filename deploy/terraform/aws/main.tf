data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  tags = merge(var.tags, {
    "app.kubernetes.io/part-of" = "meridian"
    "managed-by"                = "terraform"
  })
  # The service account IRSA trusts: system:serviceaccount:NAMESPACE:NAME.
  service_account_subject = "system:serviceaccount:${var.kubernetes_namespace}:${var.kubernetes_service_account}"
}
