#!/usr/bin/env python3
"""Builds tests/fixtures/awscli-export/: a directory of AWS CLI output, laid out as
docs/aws-export.md describes, assembled from the example outputs that the AWS CLI
documentation publishes for each command (aws-cli's awscli/examples, Apache-2.0,
LICENSE-awscli-examples.txt).

As published: describe-organization, list-roots, list-organizational-units-for-parent
(the root), list-accounts-for-parent (the Accounting OU), list-policies (SCPs),
describe-policy (p-examplepolicyid111), list-targets-for-policy (p-examplepolicyid111,
its account target's ARN ending in a stray `;` as in the example),
get-account-authorization-details (account 123456789012) and get-bucket-policy
(amzn-s3-demo-bucket).

Made up here, to make the examples one organization (README.md in the output says
which): the root's accounts (the management account 111111111111 and 123456789012,
whose IAM the example shows), the OUs' empty children, `FullAWSAccess` (AWS's own
text, attached everywhere, as AWS does when SCPs are enabled), and where the bucket
lives. p-examplepolicyid222 is left out of list-policies: no example describes it.

Run from the repository root:

    python3 scripts/make-awscli-export.py [--shared ../shared]
"""

import argparse
import json
import os
import shutil
import textwrap

ROOT = "r-examplerootid111"
OU_ACCOUNTING = "ou-examplerootid111-exampleouid111"
OU_PRODUCTION = "ou-examplerootid111-exampleouid222"
MGMT = "111111111111"
IAM_ACCOUNT = "123456789012"
MEMBERS = ["333333333333", "444444444444"]


def examples(path):
    """Every JSON object in the literal blocks (after `::`) of an example .rst file."""
    lines = open(path).read().replace("\t", "    ").split("\n")
    out, i = [], 0
    while i < len(lines):
        if not lines[i].rstrip().endswith("::"):
            i += 1
            continue
        j, block = i + 1, []
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith(" ")):
            block.append(lines[j])
            j += 1
        text = textwrap.dedent("\n".join(block)).strip()
        if text.startswith("{"):
            out.append(json.JSONDecoder().raw_decode(text)[0])
        i = j
    return out


def write(out, rel, obj):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path) or out, exist_ok=True)
    with open(path, "w") as f:
        if isinstance(obj, str):
            f.write(obj)
        else:
            json.dump(obj, f, indent=4)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared", help="the shared data directory")
    ap.add_argument("--out", default="tests/fixtures/awscli-export")
    args = ap.parse_args()
    src = os.path.join(args.shared, "data", "samples", "awscli-examples")
    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)

    def example(rel):
        return examples(os.path.join(src, rel))[0]

    # As published.
    write(out, "describe-organization.json", example("organizations/describe-organization.rst"))
    write(out, "list-roots.json", example("organizations/list-roots.rst"))
    write(out, f"list-organizational-units-for-parent/{ROOT}.json",
          example("organizations/list-organizational-units-for-parent.rst"))
    write(out, f"list-accounts-for-parent/{OU_ACCOUNTING}.json",
          example("organizations/list-accounts-for-parent.rst"))
    policies = example("organizations/list-policies.rst")
    policies["Policies"] = [p for p in policies["Policies"] if p["Id"] != "p-examplepolicyid222"]
    write(out, "list-policies/SERVICE_CONTROL_POLICY.json", policies)
    write(out, "describe-policy/p-examplepolicyid111.json",
          example("organizations/describe-policy.rst"))
    write(out, "list-targets-for-policy/p-examplepolicyid111.json",
          example("organizations/list-targets-for-policy.rst"))
    write(out, f"get-account-authorization-details/{IAM_ACCOUNT}.json",
          example("iam/get-account-authorization-details.rst"))
    write(out, f"resources/{IAM_ACCOUNT}/s3/amzn-s3-demo-bucket.json",
          example("s3api/get-bucket-policy.rst"))

    # Made up: the rest of the organization around the examples.
    org = "o-exampleorgid"

    def account(id, name):
        return {
            "Id": id,
            "Arn": f"arn:aws:organizations::{MGMT}:account/{org}/{id}",
            "Email": f"{name.lower().replace(' ', '-')}@example.com",
            "Name": name,
            "Status": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": 1481830215.45,
        }

    write(out, f"list-accounts-for-parent/{ROOT}.json", {"Accounts": [
        account(MGMT, "Management Account"),
        account(IAM_ACCOUNT, "IAM Example Account"),
    ]})
    write(out, f"list-accounts-for-parent/{OU_PRODUCTION}.json", {"Accounts": []})
    for ou in (OU_ACCOUNTING, OU_PRODUCTION):
        write(out, f"list-organizational-units-for-parent/{ou}.json", {"OrganizationalUnits": []})
    full = json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    write(out, "describe-policy/p-FullAWSAccess.json", {"Policy": {
        "PolicySummary": next(p for p in policies["Policies"] if p["Id"] == "p-FullAWSAccess"),
        "Content": full,
    }})
    targets = [{"TargetId": ROOT, "Type": "ROOT", "Name": "Root",
                "Arn": f"arn:aws:organizations::{MGMT}:root/{org}/{ROOT}"}]
    for ou in (OU_ACCOUNTING, OU_PRODUCTION):
        targets.append({"TargetId": ou, "Type": "ORGANIZATIONAL_UNIT", "Name": ou,
                        "Arn": f"arn:aws:organizations::{MGMT}:ou/{org}/{ou}"})
    for id in [MGMT, IAM_ACCOUNT] + MEMBERS:
        targets.append({"TargetId": id, "Type": "ACCOUNT", "Name": id,
                        "Arn": f"arn:aws:organizations::{MGMT}:account/{org}/{id}"})
    write(out, "list-targets-for-policy/p-FullAWSAccess.json", {"Targets": targets})

    shutil.copy(os.path.join(src, "LICENSE.txt"), os.path.join(out, "LICENSE-awscli-examples.txt"))
    write(out, "README.md", textwrap.dedent(f"""\
        # awscli-export

        An export directory (docs/aws-export.md) assembled from the example outputs of
        the AWS CLI documentation (aws-cli, awscli/examples; Apache-2.0,
        LICENSE-awscli-examples.txt). Generated by `scripts/make-awscli-export.py`; do
        not edit by hand.

        As published: describe-organization.json, list-roots.json,
        list-organizational-units-for-parent/{ROOT}.json,
        list-accounts-for-parent/{OU_ACCOUNTING}.json,
        list-policies/SERVICE_CONTROL_POLICY.json (without p-examplepolicyid222, which
        no example describes), describe-policy/p-examplepolicyid111.json,
        list-targets-for-policy/p-examplepolicyid111.json,
        get-account-authorization-details/{IAM_ACCOUNT}.json and
        resources/{IAM_ACCOUNT}/s3/amzn-s3-demo-bucket.json.

        Made up to join them into one organization: the root's accounts
        ({MGMT}, the management account, and {IAM_ACCOUNT}, whose IAM the example
        shows), the OUs' empty children, FullAWSAccess (AWS's text, attached to the
        root, every OU and every account, as AWS does when SCPs are enabled) and the
        bucket's account.
        """))


if __name__ == "__main__":
    main()
