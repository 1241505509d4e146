variable "name" {
  description = "Prefix of every resource's name."
  type        = string
  default     = "meridian"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "The VPC's range. deploy/k8s/overlays/split/networkpolicy.yaml lets the roles reach the data stores in it: change both together."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones used (subnets, NAT gateways, nodes, Multi-AZ data stores)."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6 (RDS, ElastiCache and Amazon MQ need two zones at least)."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (1.30 or later: the pods' preStop sleep action)."
  type        = string
  default     = "1.31"
}

variable "cluster_public_access_cidrs" {
  description = "Addresses allowed to reach the EKS API endpoint from the internet; empty keeps it private to the VPC."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_min_size" {
  type    = number
  default = 3
}

variable "node_desired_size" {
  type    = number
  default = 3
}

variable "node_max_size" {
  type    = number
  default = 10
}

variable "db_instance_class" {
  description = "RDS instance class of PostgreSQL."
  type        = string
  default     = "db.m6g.large"
}

variable "db_engine_version" {
  description = "PostgreSQL version (15: what Meridian is tested against, with PostGIS 3)."
  type        = string
  default     = "15"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB; storage autoscaling grows it up to db_max_allocated_storage."
  type        = number
  default     = 100
}

variable "db_max_allocated_storage" {
  type    = number
  default = 1000
}

variable "db_backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14
}

variable "redis_node_type" {
  type    = string
  default = "cache.m6g.large"
}

variable "mq_instance_type" {
  type    = string
  default = "mq.m5.large"
}

variable "mq_engine_version" {
  description = "Amazon MQ for RabbitMQ engine version."
  type        = string
  default     = "3.13"
}

variable "kubernetes_namespace" {
  description = "Namespace of Meridian's pods (deploy/k8s/namespace.yaml)."
  type        = string
  default     = "meridian"
}

variable "kubernetes_service_account" {
  description = "Service account of Meridian's pods (deploy/k8s/base/serviceaccount.yaml); IRSA gives it the S3 role."
  type        = string
  default     = "meridian"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflow may push images to ECR and deploy (OIDC, no stored keys); empty: none."
  type        = string
  default     = ""
}

variable "alarm_topic_arn" {
  description = "SNS topic the CloudWatch alarms notify; empty: alarms without actions."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "Protects the database and keeps the bucket's objects on destroy; turn off only for throw-away environments."
  type        = bool
  default     = true
}
