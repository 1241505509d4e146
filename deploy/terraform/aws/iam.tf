# ---- Meridian's pods: S3 on their own bucket, nothing else (IRSA: no access keys anywhere)

resource "aws_iam_role" "meridian" {
  name = "${var.name}-pods"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = local.service_account_subject
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "meridian_objects" {
  name = "objects"
  role = aws_iam_role.meridian.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Bucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetBucketLocation"]
        Resource = aws_s3_bucket.objects.arn
      },
      {
        Sid      = "Objects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "${aws_s3_bucket.objects.arn}/*"
      },
      {
        Sid      = "ObjectsKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_key.objects.arn
      },
    ]
  })
}

# ---- The pipeline (.github/workflows/ci.yml): push images to ECR and deploy into the namespace, through GitHub's OIDC

resource "aws_iam_openid_connect_provider" "github" {
  count           = var.github_repository == "" ? 0 : 1
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_iam_role" "deploy" {
  count = var.github_repository == "" ? 0 : 1
  name  = "${var.name}-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github[0].arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        # Only the workflow's deployment jobs (GitHub environments staging and production), never a pull request.
        StringLike = { "token.actions.githubusercontent.com:sub" = "repo:${var.github_repository}:environment:*" }
      }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  count = var.github_repository == "" ? 0 : 1
  name  = "deploy"
  role  = aws_iam_role.deploy[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid    = "EcrPush"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
        ]
        Resource = aws_ecr_repository.meridian.arn
      },
      {
        Sid      = "Kubeconfig"
        Effect   = "Allow"
        Action   = "eks:DescribeCluster"
        Resource = aws_eks_cluster.this.arn
      },
    ]
  })
}

# Inside the cluster the pipeline may change what is in Meridian's namespace, nothing else (the namespace itself
# is applied once by an administrator: deploy/k8s/namespace.yaml).
resource "aws_eks_access_entry" "deploy" {
  count         = var.github_repository == "" ? 0 : 1
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.deploy[0].arn
}

resource "aws_eks_access_policy_association" "deploy" {
  count         = var.github_repository == "" ? 0 : 1
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.deploy[0].arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"

  access_scope {
    type       = "namespace"
    namespaces = [var.kubernetes_namespace]
  }

  depends_on = [aws_eks_access_entry.deploy]
}
