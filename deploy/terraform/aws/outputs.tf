output "cluster_name" {
  description = "aws eks update-kubeconfig --name <this> --region <region>"
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  value = aws_eks_cluster.this.endpoint
}

output "meridian_role_arn" {
  description = "Annotate the meridian service account with it (eks.amazonaws.com/role-arn) for S3 access through IRSA."
  value       = aws_iam_role.meridian.arn
}

output "deploy_role_arn" {
  description = "The pipeline's role (GitHub OIDC): repository variable AWS_DEPLOY_ROLE_ARN."
  value       = var.github_repository == "" ? null : aws_iam_role.deploy[0].arn
}

output "bucket" {
  description = "MERIDIAN__Objects__S3__Bucket"
  value       = aws_s3_bucket.objects.bucket
}

output "region" {
  description = "MERIDIAN__Objects__S3__Region"
  value       = var.region
}

output "ecr_repository_url" {
  value = aws_ecr_repository.meridian.repository_url
}

output "database_address" {
  value = aws_db_instance.this.address
}

output "redis_address" {
  value = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "rabbitmq_endpoint" {
  value = aws_mq_broker.this.instances[0].endpoints[0]
}

output "roles_secret_arn" {
  description = "Secrets Manager secret for the Kubernetes Secret meridian"
  value       = aws_secretsmanager_secret.meridian.arn
}

output "gateway_secret_arn" {
  description = "Secrets Manager secret for the Kubernetes Secret meridian-gateway"
  value       = aws_secretsmanager_secret.gateway.arn
}
