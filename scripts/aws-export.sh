#!/bin/sh
# Exports an AWS Organization with the AWS CLI into the directory layout orgscope
# loads (docs/aws-export.md). Read-only: it only calls Describe/List/Get APIs.
#
#   AWS_PROFILE=management scripts/aws-export.sh [DIR]
#
# Run it with credentials of the management account (or of a delegated administrator
# for Organizations). Each account's IAM is read by assuming ROLE in it (default
# OrganizationAccountAccessRole; set ROLE to a read-only role you deploy instead).
# Accounts where the role cannot be assumed are skipped with a message; orgscope then
# warns that their IAM is unknown. Resource policies are read in REGIONS (default: the
# CLI's configured region).
set -eu

out=${1:-org-export}
role=${ROLE:-OrganizationAccountAccessRole}
regions=${REGIONS:-$(aws configure get region || echo us-east-1)}

mkdir -p "$out"
cd "$out"
for d in list-organizational-units-for-parent list-accounts-for-parent list-policies \
    describe-policy list-targets-for-policy get-account-authorization-details \
    get-credential-report resources; do
    mkdir -p "$d"
done

# The organization and its tree.
aws organizations describe-organization > describe-organization.json
aws organizations list-roots > list-roots.json

walk() {
    aws organizations list-organizational-units-for-parent --parent-id "$1" \
        > "list-organizational-units-for-parent/$1.json"
    aws organizations list-accounts-for-parent --parent-id "$1" \
        > "list-accounts-for-parent/$1.json"
    for child in $(aws organizations list-organizational-units-for-parent --parent-id "$1" \
        --query 'OrganizationalUnits[].Id' --output text); do
        walk "$child"
    done
}
for root in $(aws organizations list-roots --query 'Roots[].Id' --output text); do
    walk "$root"
done

# SCPs and RCPs: what they say and where they are attached.
for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
    aws organizations list-policies --filter "$type" > "list-policies/$type.json" || {
        echo "skipping $type: not enabled" >&2
        rm -f "list-policies/$type.json"
        continue
    }
    for p in $(aws organizations list-policies --filter "$type" --query 'Policies[].Id' --output text); do
        aws organizations describe-policy --policy-id "$p" > "describe-policy/$p.json"
        aws organizations list-targets-for-policy --policy-id "$p" > "list-targets-for-policy/$p.json"
    done
done

# Each account's IAM, credential report and resource policies.
management=$(aws organizations describe-organization --query Organization.MasterAccountId --output text)
for account in $(aws organizations list-accounts --query 'Accounts[?Status==`ACTIVE`].Id' --output text); do
    if [ "$account" != "$management" ]; then
        creds=$(aws sts assume-role --role-arn "arn:aws:iam::$account:role/$role" \
            --role-session-name orgscope-export \
            --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text) || {
            echo "skipping $account: cannot assume $role" >&2
            continue
        }
        # shellcheck disable=SC2086 # three words: key id, secret, token
        set -- $creds
        AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3
        export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    fi

    aws iam get-account-authorization-details > "get-account-authorization-details/$account.json"

    # The credential report is generated asynchronously; ask until it is ready.
    tries=0
    until [ "$(aws iam generate-credential-report --query State --output text)" = COMPLETE ] \
        || [ "$tries" -ge 10 ]; do
        tries=$((tries + 1))
        sleep 2
    done
    aws iam get-credential-report > "get-credential-report/$account.json" \
        || rm -f "get-credential-report/$account.json"

    mkdir -p "resources/$account/s3" "resources/$account/s3-public-access-block" get-public-access-block
    for bucket in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
        aws s3api get-bucket-policy --bucket "$bucket" > "resources/$account/s3/$bucket.json" 2>/dev/null \
            || rm -f "resources/$account/s3/$bucket.json"
        # S3 Block Public Access: RestrictPublicBuckets shuts a public bucket policy.
        aws s3api get-public-access-block --bucket "$bucket" \
            > "resources/$account/s3-public-access-block/$bucket.json" 2>/dev/null \
            || rm -f "resources/$account/s3-public-access-block/$bucket.json"
    done
    aws s3control get-public-access-block --account-id "$account" \
        > "get-public-access-block/$account.json" 2>/dev/null \
        || rm -f "get-public-access-block/$account.json"
    for region in $regions; do
        mkdir -p "resources/$account/kms/$region" "resources/$account/sqs/$region" \
            "resources/$account/sns/$region" "resources/$account/secretsmanager/$region" \
            "resources/$account/lambda/$region"
        for key in $(aws kms list-keys --region "$region" --query 'Keys[].KeyId' --output text); do
            aws kms get-key-policy --region "$region" --key-id "$key" --policy-name default \
                > "resources/$account/kms/$region/$key.json" 2>/dev/null \
                || rm -f "resources/$account/kms/$region/$key.json"
        done
        # Which keys are AWS managed (alias/aws/*): RCPs do not apply to them.
        aws kms list-aliases --region "$region" > "resources/$account/kms/$region/list-aliases.json" \
            || rm -f "resources/$account/kms/$region/list-aliases.json"
        for queue in $(aws sqs list-queues --region "$region" --query 'QueueUrls[]' --output text); do
            [ "$queue" = None ] && continue
            aws sqs get-queue-attributes --region "$region" --queue-url "$queue" \
                --attribute-names Policy QueueArn > "resources/$account/sqs/$region/${queue##*/}.json"
        done
        for topic in $(aws sns list-topics --region "$region" --query 'Topics[].TopicArn' --output text); do
            aws sns get-topic-attributes --region "$region" --topic-arn "$topic" \
                > "resources/$account/sns/$region/${topic##*:}.json"
        done
        for secret in $(aws secretsmanager list-secrets --region "$region" --query 'SecretList[].Name' --output text); do
            name=$(printf '%s' "$secret" | tr '/' '_')
            aws secretsmanager get-resource-policy --region "$region" --secret-id "$secret" \
                > "resources/$account/secretsmanager/$region/$name.json"
        done
        for fn in $(aws lambda list-functions --region "$region" --query 'Functions[].FunctionName' --output text); do
            aws lambda get-policy --region "$region" --function-name "$fn" \
                > "resources/$account/lambda/$region/$fn.json" 2>/dev/null \
                || rm -f "resources/$account/lambda/$region/$fn.json"
        done
    done

    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
done

echo "exported to $out; open it with: orgscope $out" >&2
