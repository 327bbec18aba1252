//! The documents generated organizations are made of: a modest set, shared by many
//! policies, as an organization's baseline stacks would deploy them.

use serde_json::{Value, json};

pub(super) fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

pub(super) fn scps() -> Vec<(&'static str, Value)> {
    vec![
        (
            "DenyLeaveOrganization",
            doc(
                json!([{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]),
            ),
        ),
        (
            "ProtectSecurityRoles",
            doc(
                json!([{"Effect": "Deny", "Action": ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy"], "Resource": "arn:aws:iam::*:role/security-*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/security-admin"}}}]),
            ),
        ),
        (
            "DenyOutsideRegions",
            doc(
                json!([{"Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*", "route53:*", "cloudfront:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1", "us-east-1"]}}}]),
            ),
        ),
        (
            "DenyRootUser",
            doc(
                json!([{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]),
            ),
        ),
        (
            "ProdGuardrails",
            doc(
                json!([{"Effect": "Deny", "Action": ["s3:DeleteBucket", "rds:DeleteDBInstance", "kms:ScheduleKeyDeletion", "dynamodb:DeleteTable"], "Resource": "*"}]),
            ),
        ),
        (
            "RegulatedEncryption",
            doc(
                json!([{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}}]),
            ),
        ),
        (
            "SandboxAllowList",
            doc(
                json!([{"Effect": "Allow", "Action": ["ec2:*", "s3:*", "lambda:*", "dynamodb:*", "logs:*", "cloudwatch:*", "sts:*", "iam:Get*", "iam:List*"], "Resource": "*"}]),
            ),
        ),
        (
            "DenyIamUsers",
            doc(
                json!([{"Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"], "Resource": "*"}]),
            ),
        ),
        (
            "DenyBillingChanges",
            doc(
                json!([{"Effect": "Deny", "Action": ["aws-portal:Modify*", "billing:Update*", "account:CloseAccount"], "Resource": "*"}]),
            ),
        ),
    ]
}

pub(super) fn rcps(org_id: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "EnforceTls",
            doc(
                json!([{"Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]),
            ),
        ),
        (
            "DataPerimeter",
            doc(
                json!([{"Effect": "Deny", "Principal": "*", "Action": ["s3:*", "kms:*", "sqs:*"], "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]),
            ),
        ),
    ]
}

/// Customer managed policies every workload account has: the same documents
/// everywhere, as an organization's baseline stack would deploy them.
pub(super) fn customer_policies() -> Vec<(&'static str, Value)> {
    vec![
        (
            "AppDataAccess",
            doc(
                json!([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::app-data-*", "arn:aws:s3:::app-data-*/*"]}, {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}]),
            ),
        ),
        (
            "QueueWorker",
            doc(
                json!([{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": "arn:aws:sqs:*:*:jobs-*"}]),
            ),
        ),
        (
            "SecretsRead",
            doc(
                json!([{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:*:*:secret:app/*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]),
            ),
        ),
        (
            "DeployPipeline",
            doc(
                json!([{"Effect": "Allow", "Action": ["cloudformation:*", "lambda:*", "ecs:*", "ecr:*", "logs:*"], "Resource": "*"}, {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}]),
            ),
        ),
        (
            "DeveloperBoundary",
            doc(
                json!([{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "lambda:*", "sqs:*", "sns:*", "logs:*", "cloudwatch:*", "xray:*"], "Resource": "*"}, {"Effect": "Deny", "Action": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}]),
            ),
        ),
        (
            "ReadLogs",
            doc(
                json!([{"Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*", "logs:FilterLogEvents", "cloudwatch:Get*", "cloudwatch:List*"], "Resource": "*"}]),
            ),
        ),
        (
            "OpsAccess",
            doc(
                json!([{"Effect": "Allow", "Action": ["ec2:*", "autoscaling:*", "elasticloadbalancing:*", "ssm:*"], "Resource": "*"}, {"Effect": "Deny", "Action": "ec2:DeleteVpc", "Resource": "*"}]),
            ),
        ),
        (
            "TeamS3",
            doc(
                json!([{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::team-${aws:PrincipalTag/team}-*", "arn:aws:s3:::team-${aws:PrincipalTag/team}-*/*"]}]),
            ),
        ),
    ]
}

/// Inline policies, by name: shared text, so compiled once.
pub(super) fn inline_policies() -> Vec<(&'static str, Value)> {
    vec![
        (
            "ManageOwnCredentials",
            doc(
                json!([{"Effect": "Allow", "Action": ["iam:ChangePassword", "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:EnableMFADevice"], "Resource": "arn:aws:iam::*:user/${aws:username}"}]),
            ),
        ),
        (
            "DenyWithoutMfa",
            doc(
                json!([{"Effect": "Deny", "NotAction": ["iam:ChangePassword", "iam:EnableMFADevice", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]),
            ),
        ),
        (
            "AssumeAnyAuditRole",
            doc(
                json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/security-audit"}]),
            ),
        ),
        (
            "TableAccess",
            doc(
                json!([{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:*:*:table/app-*"}]),
            ),
        ),
    ]
}

pub(super) const AWS_MANAGED: &[&str] = &[
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
];
