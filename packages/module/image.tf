locals {
  # The tf-lambda checkout this module sits in (packages/module): it holds docker/ and the runtime's sources.
  source_root = abspath("${path.module}/../..")

  bundled_code_path = var.bundled_code_path == null ? null : abspath(var.bundled_code_path)

  # Docker's build context must hold both the checkout and the bundled code. By default: the checkout when it
  # holds the code (or there is none), else the root module's directory, which holds .terraform/modules/ and so
  # this checkout when the module comes from a registry or git.
  build_context = abspath(coalesce(
    var.build_context_path,
    local.bundled_code_path == null || startswith(coalesce(local.bundled_code_path, "-"), "${local.source_root}/") ? local.source_root : path.root,
  ))

  source_in_context = local.source_root == local.build_context ? "." : trimprefix(local.source_root, "${local.build_context}/")
  code_in_context   = local.bundled_code_path == null ? "${local.source_in_context}/docker/no-bundled-code" : trimprefix(local.bundled_code_path, "${local.build_context}/")

  # Exactly the ARGs docker/Dockerfile declares (a test keeps the two equal).
  docker_build_args = {
    NODE_VERSION           = var.node_version
    TERRAFORM_DISTRIBUTION = var.terraform_distribution
    TERRAFORM_VERSION      = var.terraform_version
    OPENTOFU_VERSION       = var.opentofu_version
    TF_LAMBDA_SOURCE_PATH  = local.source_in_context
    BUNDLED_CODE_PATH      = local.code_in_context
    PREINSTALL_PROVIDERS   = tostring(var.preinstall_providers)
  }

  # The image's inputs, hashed by content: the tag changes when (and only when) one of them does.
  image_source_patterns = [
    "docker/**",
    "package.json",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "tsconfig.base.json",
    "testing/package.json",
    "packages/protocol/package.json",
    "packages/protocol/tsconfig.json",
    "packages/protocol/tsup.config.ts",
    "packages/protocol/src/**",
    "packages/runtime/package.json",
    "packages/runtime/tsconfig.json",
    "packages/runtime/tsup.config.ts",
    "packages/runtime/src/**",
  ]
  image_source_files = sort(distinct(flatten([
    for pattern in local.image_source_patterns : [
      for file in fileset(local.source_root, pattern) : file
      if !strcontains(file, "node_modules/") && !strcontains(file, "/dist/")
    ]
  ])))
  bundled_code_files = local.bundled_code_path == null ? [] : sort([
    for file in fileset(local.bundled_code_path, "**") : file
    if !startswith(file, ".terraform/") && !strcontains(file, "/.terraform/") && !startswith(file, ".git/") && length(regexall("\\.tfstate(\\..*)?$", file)) == 0
  ])
  image_content_hash = sha256(join("\n", concat(
    [jsonencode(local.docker_build_args)],
    [for file in local.image_source_files : "source/${file}=${filesha256("${local.source_root}/${file}")}"],
    [for file in local.bundled_code_files : "code/${file}=${filesha256("${local.bundled_code_path}/${file}")}"],
  )))
  image_tag = "sha256-${substr(local.image_content_hash, 0, 32)}"

  repository_url = var.create_ecr_repository ? aws_ecr_repository.this[0].repository_url : var.ecr_repository_url
}

resource "aws_ecr_repository" "this" {
  count = var.create_ecr_repository ? 1 : 0

  name                 = coalesce(var.ecr_repository_name, var.name)
  image_tag_mutability = var.ecr_image_tag_mutability
  force_delete         = var.ecr_force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = var.ecr_kms_key_arn == null ? "AES256" : "KMS"
    kms_key         = var.ecr_kms_key_arn
  }

  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  count = var.create_ecr_repository ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.ecr_keep_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_images
      }
      action = { type = "expire" }
    }]
  })
}

# Lambda pulls the image with the service principal, for this account's functions only.
data "aws_iam_policy_document" "ecr_pull" {
  count = var.create_ecr_repository ? 1 : 0

  statement {
    sid     = "LambdaImagePull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:sourceArn"
      values   = ["arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:*"]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  count = var.create_ecr_repository ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy     = data.aws_iam_policy_document.ecr_pull[0].json
}

resource "docker_image" "this" {
  count = var.create_image ? 1 : 0

  name         = "${local.repository_url}:${local.image_tag}"
  keep_locally = var.keep_image_locally

  build {
    context    = local.build_context
    dockerfile = "${local.source_root}/docker/Dockerfile"
    build_args = local.docker_build_args
    platform   = var.architecture == "arm64" ? "linux/arm64" : "linux/amd64"
    label = {
      "org.opencontainers.image.title" = "tf-lambda"
      "tf-lambda.content-hash"         = local.image_content_hash
    }
  }

  triggers = {
    content_hash = local.image_content_hash
  }

  lifecycle {
    precondition {
      condition     = local.repository_url != null
      error_message = "Set ecr_repository_url when create_ecr_repository is false and create_image is true."
    }
    precondition {
      condition     = local.source_root == local.build_context || startswith(local.source_root, "${local.build_context}/")
      error_message = "The build context (build_context_path) must contain the tf-lambda checkout (${local.source_root})."
    }
    precondition {
      condition     = local.bundled_code_path == null || startswith(coalesce(local.bundled_code_path, "-"), "${local.build_context}/")
      error_message = "The build context (build_context_path) must contain bundled_code_path."
    }
  }
}

resource "docker_registry_image" "this" {
  count = var.create_image ? 1 : 0

  name          = docker_image.this[0].name
  keep_remotely = true

  triggers = {
    content_hash = local.image_content_hash
  }
}
